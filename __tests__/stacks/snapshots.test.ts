/**
 * One snapshot per stack: change detection for the whole synthesized output. Fine-grained assertions live in each
 * stack's own test file; a diff here means some Terraform changed — review it with `git diff` and accept it with
 * `npx vitest run -u __tests__/stacks/snapshots.test.ts` only when the change is intended.
 */
import { TerraformStack } from 'cdktf';
import { describe, expect, test } from 'vitest';
import { buildTestPlatform, synthStack } from '../helpers/synth';

/** The state stack's local backend path is absolute (cdktf's default); the snapshot must not depend on the clone. */
function portable(json: unknown): unknown {
  return JSON.parse(JSON.stringify(json).replaceAll(process.cwd(), '<repo>'));
}

function stacksOf(environment: string): TerraformStack[] {
  const { app } = buildTestPlatform(environment);
  return app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
}

describe('snapshot of every stack', () => {
  test.each(stacksOf('dev').map((stack) => [stack.node.id, stack] as const))('dev: %s', (_id, stack) => {
    expect(portable(synthStack(stack))).toMatchSnapshot();
  });

  test.each(stacksOf('local').map((stack) => [stack.node.id, stack] as const))('local: %s', (_id, stack) => {
    expect(portable(synthStack(stack))).toMatchSnapshot();
  });
});
