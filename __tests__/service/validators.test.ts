import { describe, expect, test } from 'vitest';
import {
  AWS_REGION,
  DNS_LABEL,
  DNS_SUBDOMAIN,
  DYNAMODB_TABLE_NAME,
  arn,
  isValid,
  problemWith,
  type StringRule,
} from '@cart-platform/service/validators';

describe('shared validators', () => {
  test.each<[string, StringRule, string[], string[]]>([
    [
      'AWS_REGION',
      AWS_REGION,
      ['us-east-1', 'eu-central-1', 'ap-southeast-5', 'us-gov-west-1', 'us-isob-east-1', 'il-central-1'],
      ['useast1', 'us-east', 'US-EAST-1', 'us-east-1a', 'local', ''],
    ],
    [
      'DNS_LABEL',
      DNS_LABEL,
      ['carts', 'a', 'kube-system', 'a'.repeat(63)],
      ['Carts', 'carts_sa', '-carts', 'carts-', 'a.b', 'a'.repeat(64), ''],
    ],
    ['DNS_SUBDOMAIN', DNS_SUBDOMAIN, ['cart-secrets', 'a.b.c'], ['A.b', '.a', 'a_b', '']],
    [
      'DYNAMODB_TABLE_NAME',
      DYNAMODB_TABLE_NAME,
      ['Items', 'retail-prod-Items', 'a_b.c'],
      ['ab', 'my table', 'a'.repeat(256), 'x/y'],
    ],
    [
      "arn('kms', 'key/')",
      arn('kms', 'key/'),
      [
        'arn:aws:kms:us-east-1:123456789012:key/abcd-1234',
        'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/k',
      ],
      ['arn:aws:kms:us-east-1:123456789012:alias/k', 'arn:aws:s3:::bucket', 'key/abcd'],
    ],
    [
      "arn('acm')",
      arn('acm'),
      ['arn:aws:acm:us-east-1:123456789012:certificate/0d1e'],
      ['arn:aws:iam::123456789012:role/r', 'certificate/0d1e'],
    ],
  ])('%s accepts the valid and refuses the invalid', (_name, rule, valid, invalid) => {
    expect(valid.filter((v) => !isValid(rule, v))).toEqual([]);
    expect(invalid.filter((v) => isValid(rule, v))).toEqual([]);
  });

  test('problemWith names the field, the value and what is allowed', () => {
    expect(problemWith('region', AWS_REGION, 'Oregon')).toBe(
      'region: "Oregon" must be an AWS region code such as us-east-1',
    );
    expect(problemWith('region', AWS_REGION, 'us-west-2')).toBeUndefined();
    expect(arn('acm').expected).toBe('an ARN of acm such as arn:aws:acm:us-east-1:123456789012:…');
    expect(arn('kms', 'key/', 'a KMS key ARN').expected).toBe(
      'a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/…',
    );
  });
});
