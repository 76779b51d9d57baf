/** Domain errors the routes map to HTTP statuses in the app's single error handler. */

/** The cart has no line with this item id. */
export class ItemNotFoundError extends Error {
  constructor(
    readonly customerId: string,
    readonly itemId: string,
  ) {
    super(`Cart ${JSON.stringify(customerId)} has no item ${JSON.stringify(itemId)}`);
    this.name = 'ItemNotFoundError';
  }
}
