import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ItemNotFoundError } from '../cart/errors.js';
import { lineId, type CartItem } from '../cart/types.js';
import { ATTRIBUTES, CUSTOMER_INDEX_NAME } from '../contract.js';
import type { CartRepository } from './cart-repository.js';
import { pickNames, toCartItem, type StoredItem } from './dynamodb-items.js';
import { addItemInput, cartQueryInput } from './dynamodb-commands.js';
import { classifyStorageError, errorName, StorageUnavailableError } from './errors.js';

/** BatchWriteItem takes at most 25 requests. */
export const BATCH_WRITE_LIMIT = 25;

/** A customer id no API request can use (ids with ":" are rejected), for the readiness query. */
const PROBE_CUSTOMER_ID = 'readiness:probe';

export interface DynamoDbCartRepositoryOptions {
  /** Document client; build it with createDynamoDbClients (removeUndefinedValues, adaptive retries). */
  readonly client: DynamoDBDocumentClient;
  /** The table (partition key `id`, index `idx_global_customerId`). */
  readonly tableName: string;
  /**
   * Items per Query page.
   * @default - DynamoDB's own limit (1 MB of data per page)
   */
  readonly queryPageLimit?: number;
  /**
   * BatchWriteItem calls per chunk before unprocessed items are an error.
   * @default 8
   */
  readonly batchMaxAttempts?: number;
  /**
   * First backoff before re-sending unprocessed items, doubled each time (full jitter, capped at 2 s).
   * @default 50
   */
  readonly batchBaseDelayMs?: number;
  /**
   * How to wait between batch attempts (tests make it instant).
   * @default - setTimeout
   */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Carts in DynamoDB, on upstream's data model: one item per line, key `customerId:itemId`, read through the
 * `idx_global_customerId` index. Every read-modify-write is a single conditional or atomic call, so concurrent
 * requests never lose an update or bring back a deleted line.
 */
export class DynamoDbCartRepository implements CartRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly queryPageLimit: number | undefined;
  private readonly batchMaxAttempts: number;
  private readonly batchBaseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: DynamoDbCartRepositoryOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.queryPageLimit = options.queryPageLimit;
    this.batchMaxAttempts = options.batchMaxAttempts ?? 8;
    this.batchBaseDelayMs = options.batchBaseDelayMs ?? 50;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async getItems(customerId: string): Promise<CartItem[]> {
    return (await this.queryCart(customerId)).map(toCartItem);
  }

  async getItem(customerId: string, itemId: string): Promise<CartItem | undefined> {
    const out = await this.call(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { id: lineId(customerId, itemId) },
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? toCartItem(out.Item) : undefined;
  }

  /**
   * One UpdateItem: ADD is atomic on the server, so concurrent adds all count (upstream read, then wrote, and
   * lost updates). A new line gets the requested quantity (upstream stored 1); an existing line keeps its price.
   */
  async addItem(customerId: string, item: CartItem): Promise<CartItem> {
    const out = await this.call(() =>
      this.client.send(new UpdateCommand(addItemInput(this.tableName, customerId, item))),
    );
    return toCartItem(out.Attributes ?? {});
  }

  /** Conditional on the line existing: a PATCH racing a DELETE must not bring the line back. */
  async updateItem(customerId: string, item: CartItem): Promise<void> {
    try {
      await this.call(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { id: lineId(customerId, item.itemId) },
            UpdateExpression: 'SET #quantity = :quantity, #unitPrice = :unitPrice',
            ConditionExpression: 'attribute_exists(#id)',
            ExpressionAttributeNames: pickNames('#id', '#quantity', '#unitPrice'),
            ExpressionAttributeValues: { ':quantity': item.quantity, ':unitPrice': item.unitPrice },
          }),
        ),
      );
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') {
        throw new ItemNotFoundError(customerId, item.itemId);
      }
      throw error;
    }
  }

  /** DeleteItem of a missing key succeeds, so this is idempotent (upstream answered 500). */
  async deleteItem(customerId: string, itemId: string): Promise<void> {
    await this.call(() =>
      this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: { id: lineId(customerId, itemId) } }),
      ),
    );
  }

  async deleteCart(customerId: string): Promise<void> {
    const ids = (await this.queryCart(customerId, true)).map((item) => String(item[ATTRIBUTES.id]));
    for (let start = 0; start < ids.length; start += BATCH_WRITE_LIMIT) {
      await this.deleteChunk(ids.slice(start, start + BATCH_WRITE_LIMIT));
    }
  }

  /**
   * Each session line is first claimed, then added. The claim is a DeleteItem returning the deleted item
   * (ALL_OLD): it removes and reads the line in one atomic step, so
   * - a quantity added to the session line concurrently is either in the returned item (and moves) or arrives
   *   after the delete as a new session line (and stays for the next merge): a concurrent re-add is never lost;
   * - a line another merge already moved, or one the eventually consistent index still shows after its
   *   deletion, returns nothing and is skipped: no line is ever counted twice.
   * The add is the atomic ADD of addItem (the customer's stored price wins). Should it fail, the claimed line
   * is put back into the session cart, again with an atomic ADD, and the error propagates.
   * Adding first and deleting conditionally afterwards, the other order, double-counts a line read from a stale
   * index or merged twice concurrently.
   */
  async mergeCarts(customerId: string, sessionId: string): Promise<void> {
    if (customerId === sessionId) return;
    for (const line of await this.queryCart(sessionId)) {
      const claimed = await this.call(() =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { id: line[ATTRIBUTES.id] },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      if (!claimed.Attributes) continue;
      const item = toCartItem(claimed.Attributes);
      if (item.quantity <= 0) continue;
      try {
        await this.addItem(customerId, item);
      } catch (error) {
        await this.addItem(sessionId, item).catch(() => undefined);
        throw error;
      }
    }
  }

  /** The start-up check and readiness: the same index query a cart read makes, for a cart that cannot exist. */
  async ping(): Promise<void> {
    await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: CUSTOMER_INDEX_NAME,
        KeyConditionExpression: '#customerId = :customerId',
        ExpressionAttributeNames: pickNames('#customerId'),
        ExpressionAttributeValues: { ':customerId': PROBE_CUSTOMER_ID },
        Limit: 1,
      }),
    );
  }

  /** Every line of a cart, following every page (a cart over 1 MB spans several). Never a Scan. */
  private async queryCart(customerId: string, idsOnly = false): Promise<StoredItem[]> {
    const items: StoredItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.call(() =>
        this.client.send(
          new QueryCommand(
            cartQueryInput(this.tableName, customerId, { idsOnly, startKey, limit: this.queryPageLimit }),
          ),
        ),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** BatchWriteItem may leave items unprocessed (throttling); re-send them with backoff, bounded. */
  private async deleteChunk(ids: readonly string[]): Promise<void> {
    let pending = ids.map((id) => ({ DeleteRequest: { Key: { id } } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) {
        if (attempt > this.batchMaxAttempts) {
          throw new StorageUnavailableError(
            `DynamoDB left ${pending.length} deletes unprocessed after ${this.batchMaxAttempts} attempts`,
          );
        }
        await this.sleep(this.backoffMs(attempt - 1));
      }
      const out = await this.call(() =>
        this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } })),
      );
      pending = (out.UnprocessedItems?.[this.tableName] ?? []).flatMap((request) =>
        request.DeleteRequest?.Key
          ? [{ DeleteRequest: { Key: { id: String(request.DeleteRequest.Key.id) } } }]
          : [],
      );
    }
  }

  /** Exponential backoff with full jitter: spreads the retries of many replicas. */
  private backoffMs(retry: number): number {
    return Math.random() * Math.min(2_000, this.batchBaseDelayMs * 2 ** (retry - 1));
  }

  /**
   * A transient failure becomes StorageUnavailableError (a 503 with Retry-After); any other error passes as it is.
   * A `catch` on the call's promise rather than an async wrapper: one promise and one suspension less per call.
   */
  private call<T>(send: () => Promise<T>): Promise<T> {
    return send().catch((error: unknown) => {
      throw classifyStorageError(error);
    });
  }
}
