/** The small readers the rules stand on: CIDR coverage, quantities, templates, jsonencode, ARN patterns, SDK URLs. */
import { describe, expect, test } from 'vitest';
import {
  ACCESS_KEY_ID,
  awsDynamodbEndpointRegion,
  masked,
  parseIni,
} from '../../../modules/guardrails/aws-sdk';
import { segments, traversal } from '../../../modules/guardrails/expressions';
import { jsonencodeValue } from '../../../modules/guardrails/hcl-values';
import { isUnscopable } from '../../../modules/guardrails/iam-actions';
import { UNKNOWN, patternCovers } from '../../../modules/guardrails/iam-evaluation';
import { internetCovered } from '../../../modules/guardrails/internet';
import { parseQuantity } from '../../../modules/guardrails/quantities';

describe('internetCovered', () => {
  test.each([
    [['0.0.0.0/0'], ['0.0.0.0/0']],
    [['0.0.0.0/1', '128.0.0.0/1'], ['0.0.0.0/0']],
    [['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/2'], ['0.0.0.0/0']],
    [['0.0.0.0/1', '128.0.0.0/2'], []],
    [['10.0.0.0/8', '203.0.113.0/24'], []],
    [['::/1', '8000::/1'], ['::/0']],
    [
      ['::/0', '0.0.0.0/0'],
      ['0.0.0.0/0', '::/0'],
    ],
    [['${var.cidr}'], []],
  ])('%j covers %j', (cidrs, expected) => {
    expect(internetCovered(cidrs)).toEqual(expected);
  });
});

describe('parseQuantity', () => {
  test.each([
    ['500m', 0.5],
    ['0.5', 0.5],
    ['2', 2],
    ['512Mi', 512 * 2 ** 20],
    ['512M', 512e6],
    ['1Gi', 2 ** 30],
    ['1e3', 1000],
    ['lots', undefined],
    ['${var.memory}', undefined],
  ])('%s → %s', (quantity, expected) => {
    expect(parseQuantity(quantity)).toBe(expected);
  });
});

describe('expressions', () => {
  test('a template splits into text and interpolations, nested braces and $${ escapes respected', () => {
    expect(segments('${aws_dynamodb_table.t.arn}/index/*')).toEqual([
      { expression: 'aws_dynamodb_table.t.arn' },
      { text: '/index/*' },
    ]);
    expect(segments('a $${b} ${jsonencode({"k" = "v"})}')).toEqual([
      { text: 'a ${b} ' },
      { expression: 'jsonencode({"k" = "v"})' },
    ]);
  });

  test('traversals parse, other expressions do not', () => {
    expect(traversal('data.terraform_remote_state.x.outputs["a-b"]')).toEqual({
      root: 'data',
      steps: ['terraform_remote_state', 'x', 'outputs', 'a-b'],
    });
    expect(traversal('kubernetes_namespace_v1.ns.metadata[0].name')?.steps).toEqual([
      'ns',
      'metadata',
      0,
      'name',
    ]);
    expect(traversal('element(split("/", x), 0)')).toBeUndefined();
  });

  test('jsonencode of a literal HCL value reads back as JSON, references as ${…}', () => {
    expect(
      jsonencodeValue(
        'jsonencode({"Version" = "2012-10-17", "Statement" = [{"Action" = ["dynamodb:*"], "Resource" = [aws_dynamodb_table.t.arn, "${aws_dynamodb_table.t.arn}/index/*"], "n" = 1, "b" = true}]})',
      ),
    ).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Action: ['dynamodb:*'],
          Resource: ['${aws_dynamodb_table.t.arn}', '${aws_dynamodb_table.t.arn}/index/*'],
          n: 1,
          b: true,
        },
      ],
    });
    expect(jsonencodeValue('jsonencode(merge(local.a, local.b))')).toBeUndefined();
    expect(jsonencodeValue('upper("x")')).toBeUndefined();
  });
});

describe('IAM', () => {
  const table = { service: 'dynamodb', region: 'us-east-1', resource: 'table/Items' };
  test.each([
    ['*', true],
    ['arn:aws:dynamodb:us-east-1:123456789012:table/Items', true],
    [`arn:aws:dynamodb:us-east-1:${UNKNOWN}:table/Items`, true],
    ['arn:aws:dynamodb:us-west-2:123456789012:table/Items', false],
    ['arn:aws:dynamodb:*:*:table/Item?', true],
    ['arn:aws:dynamodb:us-east-1:123456789012:table/Items/index/*', false],
    ['arn:aws:s3:::Items', false],
  ])('%s covers table/Items in us-east-1: %s', (pattern, expected) => {
    expect(patternCovers(pattern, table)).toBe(expected);
  });

  test.each([
    ['dynamodb:ListTables', true],
    ['DynamoDB:listtables', true],
    ['ec2:DescribeInstances', true],
    ['dynamodb:DescribeTable', false],
    ['dynamodb:List*', false],
    ['s3:GetObject', false],
  ])('%s cannot be scoped: %s', (action, expected) => {
    expect(isUnscopable(action)).toBe(expected);
  });
});

describe('the SDK', () => {
  test.each([
    ['https://dynamodb.us-east-1.amazonaws.com', 'us-east-1'],
    ['https://dynamodb-fips.us-gov-west-1.amazonaws.com', 'us-gov-west-1'],
    ['https://dynamodb.eu-west-1.api.aws', 'eu-west-1'],
    ['https://123456789012.ddb.us-east-2.amazonaws.com', 'us-east-2'],
    ['https://vpce-0a1b2c3d-abcdefgh.dynamodb.ap-south-1.vpce.amazonaws.com', 'ap-south-1'],
    ['http://dynamodb.us-east-1.amazonaws.com', undefined],
    ['http://localhost:8000', undefined],
    ['https://dynamodb.example.com', undefined],
  ])('%s is an AWS DynamoDB endpoint in %s', (url, region) => {
    expect(awsDynamodbEndpointRegion(url)).toBe(region);
  });

  test('access key ids are found and masked, not inside longer tokens', () => {
    expect(ACCESS_KEY_ID.test('key=AKIAIOSFODNN7EXAMPLE')).toBe(true);
    expect(ACCESS_KEY_ID.test('xAKIAIOSFODNN7EXAMPLEy')).toBe(false);
    expect(masked('id AKIAIOSFODNN7EXAMPLE')).toBe('id AKIA…MPLE');
  });

  test('INI files read as sections of lower-cased keys, comments dropped', () => {
    const ini = parseIni(
      '[default]\nAWS_Access_Key_Id = AKIA1 # note\n; comment\n[profile ops]\nrole_arn=arn:x=y\n',
    );
    expect([...ini.keys()]).toEqual(['', 'default', 'profile ops']);
    expect(ini.get('default')?.get('aws_access_key_id')).toBe('AKIA1');
    expect(ini.get('profile ops')?.get('role_arn')).toBe('arn:x=y');
  });
});
