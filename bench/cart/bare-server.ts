/**
 * Child process: the cart's two benchmarked routes on bare `node:http` — no framework, no validation, no
 * logging, no metrics. On DynamoDB it sends exactly the service's commands (`dynamodb-commands.ts`) through a
 * client built by the service's own factory; in memory it calls the service's `InMemoryCartRepository`. The
 * service's CPU per request over this server's, on the same storage, is what Hono, validation, logging and
 * metrics cost; the SDK floor below both is what HTTP itself costs.
 * Started with BareOptions as its JSON argument; prints `{"url": ...}` once listening; SIGTERM stops it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CartItem } from '../../service/src/cart/types.js';
import { DUMMY_CREDENTIALS } from '../../service/src/config.js';
import { addItemInput, cartQueryInput } from '../../service/src/repository/dynamodb-commands.js';
import { createDynamoDbClients } from '../../service/src/repository/dynamodb-client.js';
import { toCartItem, type StoredItem } from '../../service/src/repository/dynamodb-items.js';
import { InMemoryCartRepository } from '../../service/src/repository/in-memory.js';

export type BareOptions =
  | { readonly storage: 'dynamodb'; readonly endpoint: string; readonly tableName: string }
  | { readonly storage: 'memory' };

/** The two operations the bench drives. */
interface BareStore {
  getCart(customerId: string): Promise<unknown>;
  addItem(customerId: string, item: CartItem): Promise<unknown>;
  close(): void;
}

function dynamoDbStore(endpoint: string, tableName: string): BareStore {
  const { client, documentClient } = createDynamoDbClients({
    provider: 'dynamodb',
    tableName,
    endpoint,
    embedded: false,
    createTable: false,
    region: 'us-west-2',
    credentials: DUMMY_CREDENTIALS,
    maxAttempts: 3,
  });
  return {
    async getCart(customerId) {
      const items: StoredItem[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await documentClient.send(
          new QueryCommand(cartQueryInput(tableName, customerId, { startKey })),
        );
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return { customerId, items: items.map(toCartItem) };
    },
    async addItem(customerId, item) {
      const out = await documentClient.send(new UpdateCommand(addItemInput(tableName, customerId, item)));
      return toCartItem(out.Attributes ?? {});
    },
    close: () => client.destroy(),
  };
}

function memoryStore(): BareStore {
  const repository = new InMemoryCartRepository();
  return {
    getCart: async (customerId) => ({ customerId, items: await repository.getItems(customerId) }),
    addItem: (customerId, item) => repository.addItem(customerId, item),
    close: () => undefined,
  };
}

const options = JSON.parse(process.argv[2] ?? '{}') as BareOptions;
const store =
  options.storage === 'memory' ? memoryStore() : dynamoDbStore(options.endpoint, options.tableName);

const CART = /^\/carts\/([^/]+)$/;
const ITEMS = /^\/carts\/([^/]+)\/items$/;

async function readItem(request: IncomingMessage): Promise<CartItem> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return JSON.parse(body) as CartItem;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = request.url ?? '/';
  try {
    let match: RegExpExecArray | null;
    if (request.method === 'GET' && (match = CART.exec(path))) {
      return send(response, 200, await store.getCart(decodeURIComponent(match[1])));
    }
    if (request.method === 'POST' && (match = ITEMS.exec(path))) {
      const customerId = decodeURIComponent(match[1]);
      return send(response, 201, await store.addItem(customerId, await readItem(request)));
    }
    send(response, 404, { error: 'not_found' });
  } catch {
    send(response, 500, { error: 'internal_error' });
  }
}

const server = createServer((request, response) => void handle(request, response));
// As the service: longer than the ALB's idle timeout, so the two keep connections alike.
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  store.close();
});
