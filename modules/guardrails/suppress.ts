/**
 * The escape hatch: `Guardrails.suppress(construct, 'CART003', 'why')` silences one rule for one construct and
 * everything under it. It is stored as metadata on the construct node (so it travels with the construct, whoever
 * built it), needs a reason, and is reported at every synth.
 */
import type { IConstruct } from 'constructs';

/** Metadata type of a suppression entry on a construct node. */
export const SUPPRESSION_METADATA = 'cart:guardrails:suppress';

const RULE_ID = /^CART\d{3}$/;

export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
  /** Path of the construct carrying the suppression. */
  readonly path: string;
}

/** Records a suppression; throws when the rule id is malformed or the reason is empty. */
export function suppress(construct: IConstruct, ruleId: string, reason: string): void {
  if (!RULE_ID.test(ruleId)) {
    throw new Error(
      `Guardrails.suppress ruleId: "${ruleId}" is not a rule id; use one of the ids in docs/guardrails.md (CART001…)`,
    );
  }
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    throw new Error(
      `Guardrails.suppress(${construct.node.path || '<app>'}, ${ruleId}) reason: a suppression needs a non-empty reason`,
    );
  }
  construct.node.addMetadata(SUPPRESSION_METADATA, { ruleId, reason: reason.trim() }, { stackTrace: false });
}

/** Suppressions recorded on a construct itself. */
export function suppressionsOn(construct: IConstruct): Suppression[] {
  return construct.node.metadata
    .filter((entry) => entry.type === SUPPRESSION_METADATA)
    .map((entry) => {
      const data = entry.data as { ruleId: string; reason: string };
      return { ruleId: data.ruleId, reason: data.reason, path: construct.node.path };
    });
}

/** The suppression of a rule that applies to a construct: on it or on any construct above it. */
export function suppressionFor(construct: IConstruct, ruleId: string): Suppression | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const found = suppressionsOn(scope).find((s) => s.ruleId === ruleId);
    if (found !== undefined) return found;
  }
  return undefined;
}
