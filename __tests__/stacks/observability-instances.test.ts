import type { TerraformStack } from 'cdktf';
import { describe, expect, test } from 'vitest';
import { environmentConfig } from '../../stacks/config/environments';
import { resourcesOf, buildTestPlatform, synthStack } from '../helpers/synth';

const TEAMS = { cart: { instances: [{ name: 'team-a' }, { name: 'team-b' }] } };

function alarmsOf(overrides: Parameters<typeof buildTestPlatform>[1]): Record<string, unknown>[] {
  const { stacks } = buildTestPlatform('dev', overrides);
  return resourcesOf(synthStack(stacks.observability as TerraformStack), 'aws_cloudwatch_metric_alarm');
}

describe('ObservabilityStack with team instances (cart.instances)', () => {
  test("each instance's table and pods get their own alarms; the account-wide user errors once", () => {
    const alarms = alarmsOf({ ...TEAMS, addons: { karpenter: { enabled: false } } });
    const names = alarms.map((a) => String(a.alarm_name)).sort();
    const perTeam = (team: string) => [
      ...['batchwriteitem', 'deleteitem', 'getitem', 'query', 'updateitem'].flatMap((op) => [
        `retail-dev-cart-${team}-table-system-errors-${op}`,
        `retail-dev-cart-${team}-table-throttled-${op}`,
      ]),
      `retail-dev-cart-${team}-pod-memory-over-limit`,
      `retail-dev-cart-${team}-pod-restarts`,
    ];
    expect(names).toEqual(
      ['retail-dev-cart-dynamodb-user-errors', ...perTeam('team-a'), ...perTeam('team-b')].sort(),
    );
    const throttled = alarms.find((a) => a.alarm_name === 'retail-dev-cart-team-b-table-throttled-query');
    expect(throttled?.dimensions).toEqual({
      TableName: expect.stringMatching(
        /\$\{data\.terraform_remote_state\.cross-stack-reference-input-cart\./,
      ),
      Operation: 'Query',
    });
    const restarts = alarms.find((a) => a.alarm_name === 'retail-dev-cart-team-a-pod-restarts');
    expect((restarts?.dimensions as Record<string, string>).Namespace).toBe('carts-team-a');
  });

  test('ALB alarms with instances are refused, naming the field and the fix', () => {
    expect(() =>
      environmentConfig('dev', {
        ...TEAMS,
        cart: {
          ...TEAMS.cart,
          exposure: 'internal',
          certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        },
        observability: { loadBalancerAlarms: true },
      }),
    ).toThrow(
      /observability\.loadBalancerAlarms: .*is true with cart\.instances.*set loadBalancerAlarms to false/,
    );
  });
});
