/**
 * The inputs of the two DynamoDB calls on the cart's hot path, in one place: the repository sends them, and the
 * benchmark's SDK floor sends exactly the same ones, so the floor can never measure a different query.
 */
import type { QueryCommandInput, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { lineId, type CartItem } from '../cart/types.js';
import { CUSTOMER_INDEX_NAME } from '../contract.js';
import { pickNames } from './dynamodb-items.js';

export interface CartQueryOptions {
  /** Read only the keys (cart deletion). @default false */
  readonly idsOnly?: boolean;
  /** Where the previous page ended. @default - the first page */
  readonly startKey?: Record<string, unknown>;
  /** Items per page. @default - DynamoDB's own limit (1 MB of data per page) */
  readonly limit?: number;
}

/** One page of a cart: the Query on `idx_global_customerId` (never a Scan). */
export function cartQueryInput(
  tableName: string,
  customerId: string,
  options: CartQueryOptions = {},
): QueryCommandInput {
  const idsOnly = options.idsOnly ?? false;
  return {
    TableName: tableName,
    IndexName: CUSTOMER_INDEX_NAME,
    KeyConditionExpression: '#customerId = :customerId',
    ExpressionAttributeNames: idsOnly ? pickNames('#customerId', '#id') : pickNames('#customerId'),
    ExpressionAttributeValues: { ':customerId': customerId },
    ProjectionExpression: idsOnly ? '#id' : undefined,
    ExclusiveStartKey: options.startKey,
    Limit: options.limit,
  };
}

/**
 * The atomic add: ADD is applied on the server, so concurrent adds all count; a new line gets the requested
 * quantity, an existing line keeps its stored price.
 */
export function addItemInput(tableName: string, customerId: string, item: CartItem): UpdateCommandInput {
  return {
    TableName: tableName,
    Key: { id: lineId(customerId, item.itemId) },
    UpdateExpression:
      'ADD #quantity :quantity SET #customerId = :customerId, #itemId = :itemId, ' +
      '#unitPrice = if_not_exists(#unitPrice, :unitPrice)',
    ExpressionAttributeNames: pickNames('#quantity', '#customerId', '#itemId', '#unitPrice'),
    ExpressionAttributeValues: {
      ':quantity': item.quantity,
      ':customerId': customerId,
      ':itemId': item.itemId,
      ':unitPrice': item.unitPrice,
    },
    ReturnValues: 'ALL_NEW',
  };
}
