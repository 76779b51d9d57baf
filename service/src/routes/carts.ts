import { Hono } from 'hono';
import { addItemBody, customerParams, itemParams, mergeQuery, updateItemBody } from '../cart/schemas.js';
import { ItemNotFoundError } from '../cart/errors.js';
import type { Cart } from '../cart/types.js';
import type { CartRepository } from '../repository/cart-repository.js';
import type { AppEnv } from './env.js';
import { jsonBody, validParams, validQuery } from './validation.js';

/** The carts API (reference: carts-api.md), mounted at /carts. */
export function cartRoutes(repository: CartRepository): Hono<AppEnv> {
  const carts = new Hono<AppEnv>();

  const customer = validParams(customerParams);
  const item = validParams(itemParams);

  // 1. The cart; an unknown cart is empty and nothing is stored.
  carts.get('/:customerId', customer, async (c) => {
    const { customerId } = c.req.valid('param');
    const cart: Cart = { customerId, items: await repository.getItems(customerId) };
    return c.json(cart);
  });

  // 2. Idempotent; upstream's body, customerId null included.
  carts.delete('/:customerId', customer, async (c) => {
    await repository.deleteCart(c.req.valid('param').customerId);
    const cart: Cart = { customerId: null, items: [] };
    return c.json(cart, 202);
  });

  // 3.
  carts.get('/:customerId/items', customer, async (c) => {
    return c.json(await repository.getItems(c.req.valid('param').customerId));
  });

  // 4. Atomic add; a new line keeps the requested quantity.
  carts.post('/:customerId/items', customer, jsonBody(addItemBody), async (c) => {
    const stored = await repository.addItem(c.req.valid('param').customerId, c.req.valid('json'));
    return c.json(stored, 201);
  });

  // 5. Overwrites an existing line; a missing one is 404 (upstream: 500).
  carts.patch('/:customerId/items', customer, jsonBody(updateItemBody), async (c) => {
    await repository.updateItem(c.req.valid('param').customerId, c.req.valid('json'));
    return c.body(null, 202);
  });

  // 6. Item ids may contain dots; a missing line is 404 (upstream: 500).
  carts.get('/:customerId/items/:itemId', item, async (c) => {
    const { customerId, itemId } = c.req.valid('param');
    const found = await repository.getItem(customerId, itemId);
    if (!found) throw new ItemNotFoundError(customerId, itemId);
    return c.json(found);
  });

  // 7. Idempotent (upstream: 500 for a missing line in DynamoDB mode).
  carts.delete('/:customerId/items/:itemId', item, async (c) => {
    const { customerId, itemId } = c.req.valid('param');
    await repository.deleteItem(customerId, itemId);
    return c.body(null, 202);
  });

  // 8. Upstream accepted and ignored this; ours merges the session cart in and empties it.
  carts.get('/:customerId/merge', customer, validQuery(mergeQuery), async (c) => {
    await repository.mergeCarts(c.req.valid('param').customerId, c.req.valid('query').sessionId);
    return c.body(null, 202);
  });

  return carts;
}
