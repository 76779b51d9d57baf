/**
 * `npm run validate` as a test: the dev and prod environments synthesize, and every stack whose providers can be
 * installed here passes `terraform init -backend=false && terraform validate`; the others are reported skipped,
 * naming the providers they need.
 */
import { expect, test } from 'vitest';
import { STACK_IDS } from '../../stacks/platform-app';
import { formatValidation, validateEnvironments } from '../../scripts/terraform-validate';

test('dev and prod: every stack with installable providers validates', async () => {
  const results = await validateEnvironments(['dev', 'prod'], (r) => console.log(formatValidation(r)));
  expect(results.filter((r) => r.status === 'failed').map(formatValidation)).toEqual([]);
  for (const environment of ['dev', 'prod']) {
    const validated = results.filter((r) => r.environment === environment && r.status === 'validated');
    expect(validated.map((r) => r.stack)).toEqual(
      expect.arrayContaining([
        STACK_IDS.state,
        STACK_IDS.network,
        STACK_IDS.cluster,
        STACK_IDS.awsAddons,
        STACK_IDS.cart,
      ]),
    );
  }
  for (const skipped of results.filter((r) => r.status === 'skipped')) {
    expect(skipped.detail).toMatch(/^needs (helm|kubernetes)(, (helm|kubernetes))*$/);
  }
}, 900_000);
