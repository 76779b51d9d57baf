/**
 * Validation bounds. Upstream validates nothing; these reject absurd input before it reaches storage.
 * Documented in the README; change them there too.
 */
export const LIMITS = {
  /** Longest customer, session or item id, in characters. */
  maxIdLength: 256,
  /** Largest quantity one request may add or set. */
  maxQuantity: 10_000,
  /** Largest unit price, in whole currency units. */
  maxUnitPrice: 1_000_000,
  /** Largest request body, in bytes (64 KiB). */
  maxBodyBytes: 64 * 1024,
} as const;
