import {
  CreateTableCommand,
  DescribeTableCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CUSTOMER_INDEX_NAME, KEY_ATTRIBUTES } from '../contract.js';
import { errorName } from './errors.js';

/** The table upstream creates (and the infrastructure creates on AWS): `id` key, index on `customerId`. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: KEY_ATTRIBUTES.tablePartitionKey, AttributeType: 'S' },
      { AttributeName: KEY_ATTRIBUTES.indexPartitionKey, AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: KEY_ATTRIBUTES.tablePartitionKey, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: CUSTOMER_INDEX_NAME,
        KeySchema: [{ AttributeName: KEY_ATTRIBUTES.indexPartitionKey, KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

export interface EnsureTableOptions {
  /**
   * Longest wait for the table to become active, in seconds.
   * @default 60
   */
  readonly maxWaitSeconds?: number;
}

/**
 * Creates the table if it is missing and waits until it is active (local world only). Upstream deleted and
 * recreated the table on every start, losing every cart; this never deletes. A concurrent creator (another
 * replica) makes CreateTable fail with ResourceInUseException, which is fine: both then wait.
 * @returns whether this call created the table
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: EnsureTableOptions = {},
): Promise<'created' | 'existed'> {
  let result: 'created' | 'existed' = 'existed';
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return result;
  } catch (error) {
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
    try {
      await client.send(new CreateTableCommand(tableDefinition(tableName)));
      result = 'created';
    } catch (createError) {
      if (errorName(createError) !== 'ResourceInUseException') throw createError;
    }
  }
  // The waiter's defaults poll every 20 s; a local table is active within a second.
  await waitUntilTableExists(
    { client, maxWaitTime: options.maxWaitSeconds ?? 60, minDelay: 1, maxDelay: 5 },
    { TableName: tableName },
  );
  return result;
}
