import type { CartItem } from '../cart/types.js';

/**
 * Storage of carts. Both implementations (DynamoDB and in-memory) have the same semantics; the route tests run
 * against each.
 */
export interface CartRepository {
  /** The lines of a cart, in no particular order; `[]` for an unknown cart (nothing is stored). */
  getItems(customerId: string): Promise<CartItem[]>;

  /** One line, or undefined. */
  getItem(customerId: string, itemId: string): Promise<CartItem | undefined>;

  /**
   * Adds `item.quantity` to the line atomically (concurrent adds never lose an update). A new line stores the
   * requested quantity and price; an existing line keeps its stored price. Returns the line as stored.
   */
  addItem(customerId: string, item: CartItem): Promise<CartItem>;

  /** Overwrites quantity and unit price of an existing line; throws ItemNotFoundError when there is none. */
  updateItem(customerId: string, item: CartItem): Promise<void>;

  /** Removes a line; idempotent. */
  deleteItem(customerId: string, itemId: string): Promise<void>;

  /** Removes every line of a cart; idempotent. */
  deleteCart(customerId: string): Promise<void>;

  /**
   * Moves every line of the session cart into the customer cart (quantities add up, the customer's stored
   * price wins) and leaves the session cart empty. Each line moves atomically: never counted twice, never lost
   * to a concurrent add.
   */
  mergeCarts(customerId: string, sessionId: string): Promise<void>;

  /** Resolves when storage answers (readiness and start-up check); rejects with the storage's error otherwise. */
  ping(): Promise<void>;
}
