/**
 * The extension corpus (issue 13): realistic extensions of the platform that reintroduce a mistake must be refused
 * by the named rule with a message that names the resource, the offending value, what happens on EKS and the fix;
 * correct extensions must pass. Every case runs the whole-app pass on the final Terraform JSON under the
 * production policy.
 */
import { describe, expect, test } from 'vitest';
import { GUARDRAIL_POLICIES, checkGuardrails, type Finding } from '../../../modules/guardrails';
import { BASELINE } from './corpus/baseline';
import { CAPACITY, CAPACITY_CORRECT } from './corpus/capacity';
import { CORRECT } from './corpus/correct';
import { CROSS_FIELD } from './corpus/cross-field';
import { IAM } from './corpus/iam';
import { IDENTITY } from './corpus/identity';
import { NODE_METADATA } from './corpus/node-metadata';
import { SECOND_ROUND, SECOND_ROUND_CORRECT } from './corpus/second-round';
import { CORPUS_CLASSES, type CorrectExtension, type ExtensionMistake } from './corpus/types';
import { WHAT_TERRAFORM_RECEIVES } from './corpus/what-terraform-receives';
import { WORKLOADS } from './corpus/workloads';
import { buildFixture } from './fixture';

const MISTAKES: ExtensionMistake[] = [
  ...WHAT_TERRAFORM_RECEIVES,
  ...WORKLOADS,
  ...IAM,
  ...IDENTITY,
  ...NODE_METADATA,
  ...BASELINE,
  ...CROSS_FIELD,
  ...SECOND_ROUND,
  ...CAPACITY,
];

const CORRECT_EXTENSIONS: CorrectExtension[] = [...CORRECT, ...SECOND_ROUND_CORRECT, ...CAPACITY_CORRECT];

function errorsOf(extension: ExtensionMistake | CorrectExtension): Finding[] {
  const fixture = buildFixture(extension.options);
  extension.extend(fixture);
  return [...checkGuardrails(fixture.app, GUARDRAIL_POLICIES.production).errors];
}

describe('the extension corpus', () => {
  test('has at least 60 mistakes over every class, and correct extensions', () => {
    expect(MISTAKES.length).toBeGreaterThanOrEqual(60);
    for (const id of Object.keys(CORPUS_CLASSES)) {
      expect(MISTAKES.filter((m) => String(m.class) === id).length).toBeGreaterThanOrEqual(5);
    }
    expect(CORRECT_EXTENSIONS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(CORRECT_EXTENSIONS.map((c) => c.what)).size).toBe(CORRECT_EXTENSIONS.length);
    expect(new Set(MISTAKES.map((m) => m.what)).size).toBe(MISTAKES.length);
  });

  test.each(MISTAKES)('[class $class] $rule refuses: $what', (mistake) => {
    const errors = errorsOf(mistake);
    const finding = errors.find((e) => e.ruleId === mistake.rule && e.path === mistake.path);
    expect(finding, errors.map((e) => e.message).join('\n')).toBeDefined();
    const message = (finding as Finding).message;
    expect(message.startsWith(`${mistake.rule} [${mistake.path}] `)).toBe(true);
    for (const fragment of mistake.mentions) expect(message).toContain(fragment);
    expect(message).toMatch(/ What happens: .+ Fix: /);
  });

  test.each(CORRECT_EXTENSIONS)('passes: $what', (extension) => {
    expect(errorsOf(extension).map((e) => e.message)).toEqual([]);
  });
});
