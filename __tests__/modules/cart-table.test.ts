import { describe, expect, test } from 'vitest';
import { CartTable, TABLE_ACTIONS, type CartTableProps } from '../../modules/cart-table';
import type { PolicyStatement } from '../../modules/iam-policy';
import { WorkloadIdentity } from '../../modules/workload-identity';
import {
  CREATE_TABLE_DYNAMODB_ACTIONS,
  CUSTOMER_INDEX_NAME,
  REQUIRED_DYNAMODB_ACTIONS,
} from '@cart-platform/service/contract';
import { onlyResource, parsePolicy, resourceIds, resourcesOf, synthScope } from '../helpers/synth';

const PROPS: CartTableProps = { tableName: 'Items', region: 'us-east-1' };

/** A grantable that records what it is given. */
function recorder(): { statements: PolicyStatement[]; addToPolicy(s: PolicyStatement): void } {
  const statements: PolicyStatement[] = [];
  return { statements, addToPolicy: (s) => statements.push(s) };
}

/** Synthesizes a table and a pod-identity role, applies `grant`, and returns the parsed inline policy. */
function grantedPolicy(grant: (table: CartTable, identity: WorkloadIdentity) => void, props = PROPS) {
  const json = synthScope((scope) => {
    const table = new CartTable(scope, 'table', props);
    const identity = new WorkloadIdentity(scope, 'identity', {
      clusterName: 'c',
      clusterArn: 'arn:aws:eks:us-east-1:123456789012:cluster/c',
      namespace: 'carts',
      serviceAccount: 'carts',
      roleName: 'c-cart',
    });
    grant(table, identity);
  });
  const [tableId] = resourceIds(json, 'aws_dynamodb_table');
  const [keyId] = resourceIds(json, 'aws_kms_key');
  return {
    json,
    tableId,
    keyId,
    statements: parsePolicy(onlyResource(json, 'aws_iam_role_policy').policy).Statement,
  };
}

describe('CartTable', () => {
  test('minimal props: the upstream data model, on demand, PITR, AWS-owned encryption', () => {
    const json = synthScope((scope) => new CartTable(scope, 'table', PROPS));
    const table = onlyResource(json, 'aws_dynamodb_table');
    expect(table).toMatchObject({
      name: 'Items',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'id',
      attribute: [
        { name: 'id', type: 'S' },
        { name: 'customerId', type: 'S' },
      ],
      global_secondary_index: [
        { name: 'idx_global_customerId', hash_key: 'customerId', projection_type: 'ALL' },
      ],
      point_in_time_recovery: { enabled: true },
      deletion_protection_enabled: false,
      server_side_encryption: { enabled: false },
    });
    expect(table.range_key).toBeUndefined();
    expect(table.stream_enabled).toBeUndefined();
    expect(resourcesOf(json, 'aws_kms_key')).toHaveLength(0);
  });

  test('the index name is the one the service queries', () => {
    const json = synthScope((scope) => new CartTable(scope, 'table', PROPS));
    const [index] = onlyResource(json, 'aws_dynamodb_table').global_secondary_index as { name: string }[];
    expect(index.name).toBe(CUSTOMER_INDEX_NAME);
  });

  test('customer-managed encryption: a rotating KMS key with an alias encrypts the table', () => {
    const json = synthScope(
      (scope) => new CartTable(scope, 'table', { ...PROPS, encryption: 'customer-managed' }),
    );
    const [keyId] = resourceIds(json, 'aws_kms_key');
    expect(onlyResource(json, 'aws_kms_key')).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    expect(onlyResource(json, 'aws_kms_alias').name).toBe('alias/dynamodb-Items');
    expect(onlyResource(json, 'aws_dynamodb_table').server_side_encryption).toEqual({
      enabled: true,
      kms_key_arn: `\${aws_kms_key.${keyId}.arn}`,
    });
  });

  test('deletion protection, streams, PITR off and tags follow the props', () => {
    const json = synthScope(
      (scope) =>
        new CartTable(scope, 'table', {
          ...PROPS,
          deletionProtection: true,
          pointInTimeRecovery: false,
          streamViewType: 'NEW_AND_OLD_IMAGES',
          tags: { Component: 'cart' },
        }),
    );
    expect(onlyResource(json, 'aws_dynamodb_table')).toMatchObject({
      deletion_protection_enabled: true,
      point_in_time_recovery: { enabled: false },
      stream_enabled: true,
      stream_view_type: 'NEW_AND_OLD_IMAGES',
      tags: { Component: 'cart' },
    });
  });

  test('grantReadWriteData: exactly the service contract actions, on the table and its indexes', () => {
    const { statements, tableId } = grantedPolicy((table, identity) => table.grantReadWriteData(identity));
    expect(statements).toEqual([
      {
        Sid: 'CartTableReadWriteData',
        Effect: 'Allow',
        Action: [...REQUIRED_DYNAMODB_ACTIONS],
        Resource: [`\${aws_dynamodb_table.${tableId}.arn}`, `\${aws_dynamodb_table.${tableId}.arn}/index/*`],
      },
    ]);
  });

  test('grantReadData and grantWriteData are narrower', () => {
    const reader = recorder();
    const writer = recorder();
    synthScope((scope) => {
      const table = new CartTable(scope, 'table', PROPS);
      table.grantReadData(reader);
      table.grantWriteData(writer);
    });
    expect(reader.statements.map((s) => s.actions)).toEqual([['dynamodb:GetItem', 'dynamodb:Query']]);
    expect(writer.statements.map((s) => s.actions)).toEqual([
      ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
    ]);
  });

  test('grantCreateTable: only the create-table mode actions', () => {
    const { statements } = grantedPolicy((table, identity) => table.grantCreateTable(identity));
    expect(statements.map((s) => s.Action)).toEqual([[...CREATE_TABLE_DYNAMODB_ACTIONS]]);
  });

  test('customer-managed key: the grant adds the key actions, only through DynamoDB in the region', () => {
    const { statements, keyId } = grantedPolicy((table, identity) => table.grantReadWriteData(identity), {
      ...PROPS,
      encryption: 'customer-managed',
    });
    expect(statements).toHaveLength(2);
    expect(statements[1]).toEqual({
      Sid: 'CartTableReadWriteDataKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      Resource: `\${aws_kms_key.${keyId}.arn}`,
      Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } },
    });
  });

  test('the action lists: read + write is exactly what the service calls, and nothing is a wildcard', () => {
    expect([...TABLE_ACTIONS.readData, ...TABLE_ACTIONS.writeData].sort()).toEqual(
      [...REQUIRED_DYNAMODB_ACTIONS].sort(),
    );
    expect(TABLE_ACTIONS.readWriteData).toEqual(REQUIRED_DYNAMODB_ACTIONS);
    expect(TABLE_ACTIONS.createTable).toEqual(CREATE_TABLE_DYNAMODB_ACTIONS);
    const all = Object.values(TABLE_ACTIONS).flat();
    expect(all.filter((a) => a.includes('*'))).toEqual([]);
    expect(all.every((a) => a.startsWith('dynamodb:'))).toBe(true);
    // The EKS world never creates the table: CreateTable is not among the run-time actions.
    expect(TABLE_ACTIONS.readWriteData).not.toContain('dynamodb:CreateTable');
  });

  test.each([
    [
      'tableName is too short',
      { tableName: 'ab' },
      'CartTable tableName: "ab" must be 3 to 255 characters from A-Z, a-z, 0-9, _, -, .',
    ],
    [
      'tableName has a space',
      { tableName: 'my table' },
      'CartTable tableName: "my table" must be 3 to 255 characters',
    ],
    [
      'encryption is unknown',
      { encryption: 'kms' as never },
      'CartTable encryption: "kms" not allowed; use aws-owned or customer-managed',
    ],
    [
      'streamViewType is unknown',
      { streamViewType: 'ALL' as never },
      'CartTable streamViewType: "ALL" not allowed',
    ],
    [
      'region is not a region',
      { region: 'useast1' },
      'CartTable region: "useast1" must be an AWS region code such as us-east-1',
    ],
  ])('throws when %s', (_name, override, message) => {
    expect(() => synthScope((scope) => new CartTable(scope, 'table', { ...PROPS, ...override }))).toThrow(
      message,
    );
  });
});
