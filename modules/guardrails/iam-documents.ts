/**
 * IAM policy documents wherever they come from — a JSON string (with `${…}` references inside), `Fn.jsonencode(…)`, an
 * `aws_iam_policy_document` data source (its statements evaluated at synth, source and override documents
 * included), a reference to either — as one list of statements.
 */
import { segments } from './expressions';
import { jsonencodeValue } from './hcl-values';
import type { ElementView, SynthesizedApp } from './synthesized-app';
import { blocks, isObject, strings, type Json } from './values';

export interface Condition {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

export interface Statement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  /** Principal type → identifiers (`Service`, `Federated`, `AWS`); `*` as `{ AWS: ['*'] }`. */
  readonly principals: Readonly<Record<string, readonly string[]>>;
  readonly conditions: readonly Condition[];
  /** The element whose configuration holds the statement: references in it resolve there. */
  readonly source: ElementView;
  /** Where it comes from, for messages (`aws_iam_role_policy cart/policy`, `AWS-managed PowerUserAccess`). */
  readonly origin: string;
}

function principalsOf(value: unknown): Record<string, string[]> {
  if (value === '*') return { AWS: ['*'] };
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([type, ids]) => [type, strings(ids)]));
}

function conditionsOf(value: unknown): Condition[] {
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([operator, entries]) =>
    isObject(entries)
      ? Object.entries(entries).map(([key, values]) => ({
          operator,
          key,
          values: strings(values).concat(typeof values === 'boolean' ? [String(values)] : []),
        }))
      : [],
  );
}

/** Statements of an IAM JSON document (`Statement` as a list or a single object). */
function jsonStatements(document: Json, source: ElementView, origin: string): Statement[] {
  const raw = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return raw.filter(isObject).map((s) => ({
    sid: typeof s.Sid === 'string' ? s.Sid : undefined,
    effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
    actions: s.Action === undefined ? undefined : strings(s.Action),
    notActions: s.NotAction === undefined ? undefined : strings(s.NotAction),
    resources: s.Resource === undefined ? undefined : strings(s.Resource),
    notResources: s.NotResource === undefined ? undefined : strings(s.NotResource),
    principals: principalsOf(s.Principal),
    conditions: conditionsOf(s.Condition),
    source,
    origin,
  }));
}

/** Statements of an `aws_iam_policy_document` data source, evaluated as the data source does. */
function dataDocumentStatements(
  app: SynthesizedApp,
  data: ElementView,
  depth: number,
): Statement[] | undefined {
  const origin = `data source ${data.address} (${data.path})`;
  const included = (key: string): Statement[] | undefined => {
    const documents = Array.isArray(data.config[key]) ? (data.config[key] as unknown[]) : [];
    const parsed = documents.map((d) => documentStatements(app, d, data, origin, depth + 1));
    return parsed.some((p) => p === undefined) ? undefined : parsed.flatMap((p) => p ?? []);
  };
  const sources = included('source_policy_documents');
  const overrides = included('override_policy_documents');
  if (sources === undefined || overrides === undefined) return undefined;
  const own = blocks(data.config.statement).map((s): Statement => ({
    sid: typeof s.sid === 'string' ? s.sid : undefined,
    effect: s.effect === 'Deny' ? 'Deny' : 'Allow',
    actions: s.actions === undefined ? undefined : strings(s.actions),
    notActions: s.not_actions === undefined ? undefined : strings(s.not_actions),
    resources: s.resources === undefined ? undefined : strings(s.resources),
    notResources: s.not_resources === undefined ? undefined : strings(s.not_resources),
    principals: Object.fromEntries(blocks(s.principals).map((p) => [String(p.type), strings(p.identifiers)])),
    conditions: blocks(s.condition).map((c) => ({
      operator: String(c.test),
      key: String(c.variable),
      values: strings(c.values),
    })),
    source: data,
    origin,
  }));
  // Statements with a Sid replace earlier ones with the same Sid (source < own < override), as the data source does.
  const merged = new Map<string, Statement>();
  [...sources, ...own, ...overrides].forEach((s, i) => merged.set(s.sid ?? `#${i}`, s));
  return [...merged.values()];
}

/**
 * The statements a policy value stands for; `undefined` when synth cannot read it (a document built with a
 * Terraform function, a policy known only after apply).
 */
export function documentStatements(
  app: SynthesizedApp,
  value: unknown,
  near: ElementView,
  origin: string,
  depth = 0,
): Statement[] | undefined {
  if (depth > 5) return undefined;
  if (isObject(value)) return jsonStatements(value, near, origin);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      return isObject(parsed) ? jsonStatements(parsed, near, origin) : undefined;
    } catch {
      return undefined;
    }
  }
  const parts = segments(trimmed);
  if (parts.length === 1 && 'expression' in parts[0]) {
    const encoded = jsonencodeValue(parts[0].expression);
    if (isObject(encoded)) return jsonStatements(encoded, near, origin);
  }
  const target = app.follow(value, near);
  if (target?.element.type === 'aws_iam_policy_document' && target.element.kind === 'data') {
    return dataDocumentStatements(app, target.element, depth);
  }
  const literal = app.literal(value, near);
  return literal === undefined || literal === value
    ? undefined
    : documentStatements(app, literal, near, origin, depth + 1);
}
