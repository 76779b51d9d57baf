/** Mapping between the cart's domain and the stored items (upstream's data model, kept unchanged). */
import type { CartItem } from '../cart/types.js';
import { ATTRIBUTES } from '../contract.js';

export type StoredItem = Record<string, unknown>;

/** Attribute name placeholders: `quantity` and friends may collide with DynamoDB's reserved words. */
export const NAMES = {
  '#id': ATTRIBUTES.id,
  '#customerId': ATTRIBUTES.customerId,
  '#itemId': ATTRIBUTES.itemId,
  '#quantity': ATTRIBUTES.quantity,
  '#unitPrice': ATTRIBUTES.unitPrice,
} as const;

/** ExpressionAttributeNames for the placeholders an expression uses (DynamoDB rejects unused ones). */
export function pickNames(...keys: (keyof typeof NAMES)[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, NAMES[k]]));
}

/** The API's shape of a stored item: exactly itemId, quantity, unitPrice; extra attributes are ignored. */
export function toCartItem(item: StoredItem): CartItem {
  return {
    itemId: String(item[ATTRIBUTES.itemId] ?? ''),
    quantity: Number(item[ATTRIBUTES.quantity] ?? 0),
    unitPrice: Number(item[ATTRIBUTES.unitPrice] ?? 0),
  };
}
