/** The cart's domain: shapes shared by the routes and the repositories. No SDK here. */

/** One line of a cart. Prices are whole currency units (150 means $150). */
export interface CartItem {
  readonly itemId: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

/** A cart as the API returns it; `items` is always an array. */
export interface Cart {
  readonly customerId: string | null;
  readonly items: readonly CartItem[];
}

/**
 * The storage key of a line: `customerId + ":" + itemId`, upstream's data model. Customer ids may not contain
 * ":" (the routes reject it), so the first ":" always separates the two and two carts never share a key.
 */
export function lineId(customerId: string, itemId: string): string {
  return `${customerId}:${itemId}`;
}
