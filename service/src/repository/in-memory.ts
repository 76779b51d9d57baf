import { ItemNotFoundError } from '../cart/errors.js';
import type { CartItem } from '../cart/types.js';
import type { CartRepository } from './cart-repository.js';

/**
 * Carts in process memory (`RETAIL_CART_PERSISTENCE_PROVIDER=in-memory`, upstream's default). Every method runs
 * to completion before another starts touching the same map, so each operation is atomic like its DynamoDB
 * counterpart.
 */
export class InMemoryCartRepository implements CartRepository {
  private readonly carts = new Map<string, Map<string, CartItem>>();

  async getItems(customerId: string): Promise<CartItem[]> {
    return [...(this.carts.get(customerId)?.values() ?? [])];
  }

  async getItem(customerId: string, itemId: string): Promise<CartItem | undefined> {
    return this.carts.get(customerId)?.get(itemId);
  }

  async addItem(customerId: string, item: CartItem): Promise<CartItem> {
    const cart = this.cart(customerId);
    const existing = cart.get(item.itemId);
    const stored: CartItem = existing
      ? { ...existing, quantity: existing.quantity + item.quantity }
      : { itemId: item.itemId, quantity: item.quantity, unitPrice: item.unitPrice };
    cart.set(item.itemId, stored);
    return stored;
  }

  async updateItem(customerId: string, item: CartItem): Promise<void> {
    const cart = this.carts.get(customerId);
    if (!cart?.has(item.itemId)) throw new ItemNotFoundError(customerId, item.itemId);
    cart.set(item.itemId, { itemId: item.itemId, quantity: item.quantity, unitPrice: item.unitPrice });
  }

  async deleteItem(customerId: string, itemId: string): Promise<void> {
    const cart = this.carts.get(customerId);
    cart?.delete(itemId);
    if (cart?.size === 0) this.carts.delete(customerId);
  }

  async deleteCart(customerId: string): Promise<void> {
    this.carts.delete(customerId);
  }

  async mergeCarts(customerId: string, sessionId: string): Promise<void> {
    if (customerId === sessionId) return;
    const session = this.carts.get(sessionId);
    if (!session) return;
    this.carts.delete(sessionId);
    for (const line of session.values()) if (line.quantity > 0) await this.addItem(customerId, line);
  }

  async ping(): Promise<void> {}

  private cart(customerId: string): Map<string, CartItem> {
    let cart = this.carts.get(customerId);
    if (!cart) this.carts.set(customerId, (cart = new Map()));
    return cart;
  }
}
