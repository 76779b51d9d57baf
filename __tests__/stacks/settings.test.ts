import { describe, expect, test } from 'vitest';
import {
  PLACEHOLDER_ACCOUNT_ID,
  environmentConfig,
  environmentFromVariables,
} from '../../stacks/config/environments';
import { ConfigError } from '../../stacks/config/schema';
import { settingsFromVariables } from '../../stacks/config/settings';
import { PROD_SETTINGS } from '../helpers/settings';

const noGit = () => undefined;

function problemsOf(variables: Record<string, string>): string[] {
  try {
    environmentFromVariables(variables, noGit);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('account settings', () => {
  test('dev synthesizes with no settings: a placeholder account Terraform refuses to deploy to', () => {
    const config = environmentFromVariables({}, noGit);
    expect(config.account.id).toBe(PLACEHOLDER_ACCOUNT_ID);
    expect(config.state.bucketName).toBe('retail-dev-tfstate-000000000000-us-east-1');
    expect(config.cart.ecrRepositoryName).toBe('retail-dev/cart');
  });

  test('prod without settings lists every missing setting at once', () => {
    expect(problemsOf({ CART_ENV: 'prod' })).toEqual([
      'CART_ACCOUNT_ID is not set: the 12-digit AWS account the environment lives in (Terraform refuses any other)',
      "CART_ADMIN_CIDRS is not set: comma-separated CIDRs allowed to reach the cluster's public API endpoint (your VPN or office)",
      'CART_ADMIN_PRINCIPALS is not set: comma-separated IAM role/user ARNs made cluster admins through EKS access entries',
      'Set them in the environment (see "Account settings" in the README), e.g. export CART_ACCOUNT_ID=123456789012',
    ]);
  });

  test('prod with settings: names from the account, the API open to the admins only, admins from the settings', () => {
    const config = environmentFromVariables({ CART_ENV: 'prod', ...PROD_SETTINGS }, noGit);
    expect(config.account.id).toBe('123456789012');
    expect(config.state.bucketName).toBe('retail-prod-tfstate-123456789012-us-east-1');
    expect(config.cart.ecrRepositoryName).toBe('retail-prod/cart');
    expect(config.cluster).toMatchObject({
      endpointPublicAccess: true,
      publicAccessCidrs: ['198.18.0.0/24'],
    });
    expect(config.access).toEqual({
      creatorAdmin: false,
      admins: ['arn:aws:iam::123456789012:role/platform-admins'],
      deployer: undefined,
    });
  });

  test('dev and prod in one account never share a globally named resource', () => {
    const dev = environmentFromVariables({ CART_ACCOUNT_ID: '123456789012' }, noGit);
    const prod = environmentFromVariables({ CART_ENV: 'prod', ...PROD_SETTINGS }, noGit);
    expect(dev.state.bucketName).not.toBe(prod.state.bucketName);
    expect(dev.cart.ecrRepositoryName).not.toBe(prod.cart.ecrRepositoryName);
    expect(dev.cluster.name).not.toBe(prod.cluster.name);
  });

  test.each([
    [
      { CART_ACCOUNT_ID: '12345' },
      'account.id: "12345" — must be a 12-digit AWS account id such as 123456789012',
    ],
    [
      { CART_ADMIN_PRINCIPALS: 'platform-admins' },
      'access.admins.0: "platform-admins" — must be an IAM role or user ARN',
    ],
    [
      { CART_ADMIN_CIDRS: '10.0.0.0/33' },
      'cluster.publicAccessCidrs.0: "10.0.0.0/33" — must be an IPv4 CIDR block',
    ],
    [{ CART_RETIRE: 'yes' }, 'CART_RETIRE="yes": true: lift every protection'],
    [{ CART_CREATOR_ADMIN: '1' }, 'CART_CREATOR_ADMIN="1": true/false'],
  ])('%j is refused with the setting and what is allowed', (variables, message) => {
    expect(problemsOf(variables).join('\n')).toContain(message);
  });

  test('documentation address ranges never reach a prod synth', () => {
    expect(problemsOf({ CART_ENV: 'prod', ...PROD_SETTINGS, CART_ADMIN_CIDRS: '203.0.113.0/24' })).toEqual([
      'cluster.publicAccessCidrs.0: "203.0.113.0/24" — is inside 203.0.113.0/24, an RFC 5737 documentation range no administrator connects from; set CART_ADMIN_CIDRS to your VPN or office ranges',
    ]);
    // dev may use them (tests, examples)
    expect(problemsOf({ CART_ADMIN_CIDRS: '203.0.113.0/24' })).toEqual([]);
  });

  test('the image tag: CART_IMAGE_TAG, else the git commit of HEAD', () => {
    const head = () => '0123456789abcdef0123456789abcdef01234567';
    expect(environmentFromVariables({}, head).cart.imageTag).toBe('0123456789abcdef0123456789abcdef01234567');
    expect(environmentFromVariables({ CART_IMAGE_TAG: 'v1.2.3' }, head).cart.imageTag).toBe('v1.2.3');
  });

  test('the emulator endpoint applies to any environment (the deploy runbook runs dev and prod on moto)', () => {
    const config = environmentFromVariables({ CART_AWS_ENDPOINT: 'http://127.0.0.1:4566' }, noGit);
    expect(config.environment).toBe('dev');
    expect(config.awsEndpoint).toBe('http://127.0.0.1:4566');
  });

  test('a public endpoint needs CIDRs', () => {
    expect(() => environmentConfig('prod', { cluster: { endpointPublicAccess: true } })).toThrow(
      'cluster.publicAccessCidrs: [] — is empty while endpointPublicAccess is true',
    );
  });

  test('settingsFromVariables ignores empty values (CI renders unset variables as "")', () => {
    expect(settingsFromVariables('dev', { CART_ACCOUNT_ID: '  ', CART_IMAGE_TAG: '' }, noGit)).toEqual({
      overrides: { access: {} },
      missing: [],
      invalid: [],
    });
  });
});
