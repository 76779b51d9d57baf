/**
 * The findings as SARIF 2.1.0 — the format Checkov and other IaC scanners emit and GitHub code scanning shows on
 * pull requests (`github/codeql-action/upload-sarif`). Each result is located at the element's construct path
 * (a logical location) and at the element in the stack's `cdk.tf.json` (a physical location, with the line once
 * the stack is written). Suppressed findings carry their suppression and reason; a suppression that matched
 * nothing is a `note`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { GuardrailReport } from './report';
import { RULES } from './rules';
import type { ElementView } from './synthesized-app';
import type { Finding, GuardrailRule } from './types';

export const SARIF_FILE = 'guardrails.sarif';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const TOOL_NAME = 'cart-platform-guardrails';

type Level = 'error' | 'warning' | 'note';

/** GitHub ranks security alerts by this 0-10 score. */
const SECURITY_SEVERITY: Readonly<Record<Level, string>> = { error: '8.0', warning: '5.0', note: '2.0' };

function ruleDescriptor(rule: GuardrailRule) {
  return {
    id: rule.id,
    name: rule.title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.prevents },
    help: {
      text: `${rule.fix}${rule.checkov.length > 0 ? ` (Checkov ${rule.checkov.join(', ')})` : ''}`,
      markdown: `**Fix:** ${rule.fix}\n\n**Prevents:** ${rule.prevents}${rule.checkov.length > 0 ? `\n\n**Checkov:** ${rule.checkov.join(', ')}` : ''}`,
    },
    properties: {
      category: rule.category,
      checkov: [...rule.checkov],
      tags: ['security', 'terraform', 'cdktf', rule.category, ...rule.checkov],
    },
  };
}

/** The JSON keys leading to an element in a stack's cdk.tf.json, for finding its line. */
function jsonKeys(element: ElementView): string[] {
  switch (element.kind) {
    case 'resource':
      return ['resource', element.type, element.logicalId];
    case 'data':
      return ['data', element.type, element.logicalId];
    case 'provider':
      return ['provider', element.type];
    case 'backend':
      return ['terraform', 'backend', element.type];
    case 'output':
      return ['output', element.logicalId];
    case 'variable':
      return ['variable', element.logicalId];
    case 'local':
      return ['locals', element.logicalId];
  }
}

/** The 1-based line of the element in the written file (cdktf writes JSON with 2-space indentation). */
export function lineOf(text: string, keys: readonly string[]): number | undefined {
  const lines = text.split('\n');
  let from = 0;
  for (const [depth, key] of keys.entries()) {
    const prefix = `${' '.repeat(2 * (depth + 1))}${JSON.stringify(key)}: `;
    const index = lines.findIndex((line, i) => i >= from && line.startsWith(prefix));
    if (index < 0) return undefined;
    from = index + 1;
  }
  return from;
}

class Locator {
  private readonly files = new Map<string, string | undefined>();

  constructor(
    private readonly report: GuardrailReport,
    private readonly outdir: string | undefined,
    /** The stack files are this synth's (not left over from an earlier one): lines can be read from them. */
    private readonly written: boolean,
  ) {}

  public location(element: ElementView) {
    const stack = this.report.stacks.find((s) => s.stack === element.stack);
    const logical = {
      fullyQualifiedName: element.path,
      name: element.address,
      kind: element.kind === 'resource' || element.kind === 'data' ? 'resource' : element.kind,
    };
    if (stack === undefined || this.outdir === undefined) return { logicalLocations: [logical] };
    const file = join(this.outdir, stack.file);
    const line = this.written ? this.line(file, jsonKeys(element)) : undefined;
    return {
      physicalLocation: {
        artifactLocation: { uri: relative(process.cwd(), file).split(sep).join('/'), uriBaseId: '%SRCROOT%' },
        ...(line !== undefined && { region: { startLine: line } }),
      },
      logicalLocations: [logical],
    };
  }

  private line(file: string, keys: string[]): number | undefined {
    if (!this.files.has(file))
      this.files.set(file, existsSync(file) ? readFileSync(file, 'utf8') : undefined);
    const text = this.files.get(file);
    return text === undefined ? undefined : lineOf(text, keys);
  }
}

function fingerprint(finding: Finding): string {
  return createHash('sha256')
    .update(`${finding.ruleId}|${finding.path}|${finding.element.address}|${finding.problem}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * The report as a SARIF log. `outdir` (where the stacks are written) adds physical locations, with the element's
 * line when `written` (the stack files are those of this report's synth).
 */
export function toSarif(
  report: GuardrailReport,
  outdir?: string,
  written = outdir !== undefined,
  rules: readonly GuardrailRule[] = RULES,
) {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const locator = new Locator(report, outdir, written);
  const result = (finding: Finding, suppression?: { reason: string; path: string }) => ({
    ruleId: finding.ruleId,
    ruleIndex: index.get(finding.ruleId),
    level: finding.severity as Level,
    message: { text: `${finding.problem} What happens: ${finding.effect} Fix: ${finding.fix}` },
    locations: [locator.location(finding.element)],
    partialFingerprints: { 'cartGuardrails/v1': fingerprint(finding) },
    properties: { 'security-severity': SECURITY_SEVERITY[finding.severity], checkov: [...finding.checkov] },
    ...(suppression !== undefined && {
      suppressions: [
        {
          kind: 'inSource',
          status: 'accepted',
          justification: `${suppression.reason} (on ${suppression.path})`,
        },
      ],
    }),
  });
  const results = [
    ...report.findings.map((f) => result(f)),
    ...report.suppressed.map(({ finding, suppression }) => result(finding, suppression)),
    ...report.unusedSuppressions.map((s) => ({
      ruleId: s.ruleId,
      ruleIndex: index.get(s.ruleId),
      kind: 'informational',
      level: 'note' as Level,
      message: {
        text: `The suppression of ${s.ruleId} on ${s.path || '<app>'} matched no finding: "${s.reason}".`,
      },
      locations: [{ logicalLocations: [{ fullyQualifiedName: s.path, kind: 'module' }] }],
    })),
  ];
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, rules: rules.map(ruleDescriptor) } },
        invocations: [
          {
            executionSuccessful: true,
            properties: { policy: report.policy, durationMs: Math.round(report.durationMs) },
          },
        ],
        results,
      },
    ],
  };
}

/** Writes the report as SARIF to `file`. */
export function writeSarif(report: GuardrailReport, file: string, outdir?: string, written = true): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(toSarif(report, outdir, written), null, 2)}\n`);
}
