/** The cart operations the bench drives, shared by the HTTP load and the SDK floor so both do the same work. */

export const OPERATIONS = ['get', 'post', 'mix'] as const;
/** `get`: GET a cart; `post`: POST an item (an atomic ADD to an existing line); `mix`: 80% get, 20% post. */
export type Operation = (typeof OPERATIONS)[number];

/** Whether the n-th request (from 0) of a connection is a POST: the mix posts every fifth (4 reads : 1 write). */
export function isPost(operation: Operation, n: number): boolean {
  return operation === 'post' || (operation === 'mix' && n % 5 === 4);
}

/** Lines per cart in the latency scenarios (and the item ids POSTs add to, so carts keep that many lines). */
export const LINES_PER_CART = 10;
export const itemId = (n: number): string => `item-${n % LINES_PER_CART}`;

/** The POST body: adds 1 to an existing line, so repeated runs never grow a cart. */
export const addItemBody = (n: number) => ({ itemId: itemId(n), quantity: 1, unitPrice: 100 });

/** Customer ids `<prefix>-0` … `<prefix>-<count-1>`. */
export function customerIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}

/** A round-robin over `values` shared by every connection, so load spreads over all the carts. */
export function roundRobin<T>(values: readonly T[]): () => T {
  let next = 0;
  return () => values[next++ % values.length];
}
