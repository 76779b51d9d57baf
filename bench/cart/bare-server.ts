/**
 * Child process: the cart's two benchmarked routes on bare `node:http` — no framework, no validation, no
 * logging, no metrics. On DynamoDB it sends exactly the service's commands (`dynamodb-commands.ts`) through a
 * client built by the service's own factory; in memory it calls the service's `InMemoryCartRepository`. The
 * service's CPU per request over this server's, on the same storage, is what Hono, validation, logging and
 * metrics cost; the SDK floor below both is what HTTP itself costs.
 *
 * With `core: true` (DynamoDB only) the same bare handlers run inside the service's own process instead: it builds
 * everything start.ts builds (configuration, metrics with the process collectors, the instrumented clients, the
 * DynamoDbCartRepository, the start-up check, the Hono app), answers the two routes over the service's repository
 * and hands every other path to the app. Against the plain bare server that prices the service's process and
 * DynamoDB layer; the service against it, the HTTP layer alone (node-server, Hono, validation, access log, HTTP
 * metrics).
 * Started with BareOptions as its JSON argument; prints `{"url": ...}` once listening; SIGTERM stops it.
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CartItem } from '../../service/src/cart/types.js';
import { DUMMY_CREDENTIALS } from '../../service/src/config.js';
import { addItemInput, cartQueryInput } from '../../service/src/repository/dynamodb-commands.js';
import { createDynamoDbClients } from '../../service/src/repository/dynamodb-client.js';
import { toCartItem, type StoredItem } from '../../service/src/repository/dynamodb-items.js';
import { InMemoryCartRepository } from '../../service/src/repository/in-memory.js';

export type BareOptions =
  | {
      readonly storage: 'dynamodb';
      readonly endpoint: string;
      readonly tableName: string;
      /**
       * Inside the service's own process, over its repository (see above).
       * @default false
       */
      readonly core?: boolean;
    }
  | { readonly storage: 'memory' };

/** The two operations the bench drives. */
export interface BareStore {
  getCart(customerId: string): Promise<unknown>;
  addItem(customerId: string, item: CartItem): Promise<unknown>;
  close(): void;
  /** Every path but the two routes. */
  readonly fallback: RequestListener;
}

const notFound: RequestListener = (_request, response) => send(response, 404, { error: 'not_found' });

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
    fallback: notFound,
  };
}

function memoryStore(): BareStore {
  const repository = new InMemoryCartRepository();
  return {
    getCart: async (customerId) => ({ customerId, items: await repository.getItems(customerId) }),
    addItem: (customerId, item) => repository.addItem(customerId, item),
    close: () => undefined,
    fallback: notFound,
  };
}

/** The store the options ask for. */
async function openStore(options: BareOptions): Promise<BareStore> {
  if (options.storage === 'memory') return memoryStore();
  if (!options.core) return dynamoDbStore(options.endpoint, options.tableName);
  // Loaded only here: the plain bare server evaluates none of the service's HTTP stack.
  const { serviceCoreStore } = await import('./service-core.js');
  return serviceCoreStore(options.endpoint, options.tableName);
}

let store: BareStore;

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
    store.fallback(request, response);
  } catch {
    send(response, 500, { error: 'internal_error' });
  }
}

const server = createServer((request, response) => void handle(request, response));
// As the service: longer than the ALB's idle timeout, so the two keep connections alike.
server.keepAliveTimeout = 65_000;
openStore(JSON.parse(process.argv[2] ?? '{}') as BareOptions).then(
  (opened) => {
    store = opened;
    server.listen(0, '127.0.0.1', () => {
      console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
    });
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  store?.close();
});
