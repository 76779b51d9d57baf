/**
 * Input rules, as zod schemas the routes' validators use. Every message names its field; unknown fields are
 * ignored (zod strips them), as upstream's JSON binding does.
 */
import { z } from 'zod';
import { LIMITS } from './limits.js';

const id = (name: string) =>
  z
    .string({
      error: (issue) => (issue.input === undefined ? `${name} is required` : `${name} must be a string`),
    })
    .min(1, { error: `${name} must not be empty` })
    .max(LIMITS.maxIdLength, { error: `${name} must be at most ${LIMITS.maxIdLength} characters` });

const wholeNumber = (name: string, min: number, max: number) =>
  z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? `${name} is required`
          : `${name} must be an integer from ${min} to ${max}`,
    })
    .int({ error: `${name} must be an integer from ${min} to ${max}` })
    .min(min, { error: `${name} must be an integer from ${min} to ${max}` })
    .max(max, { error: `${name} must be an integer from ${min} to ${max}` });

/** Customer ids are half of the storage key `customerId:itemId`, so they may not contain ":". */
const customerIdSchema = id('customerId').regex(/^[^:]*$/, { error: 'customerId must not contain ":"' });

export const customerParams = z.object({ customerId: customerIdSchema });

export const itemParams = z.object({ customerId: customerIdSchema, itemId: id('itemId') });

export const mergeQuery = z.object({
  sessionId: z
    .string({ error: 'sessionId is required' })
    .min(1, { error: 'sessionId is required' })
    .max(LIMITS.maxIdLength, { error: `sessionId must be at most ${LIMITS.maxIdLength} characters` })
    .regex(/^[^:]*$/, { error: 'sessionId must not contain ":"' }),
});

/** POST: the line to add; a new line stores this quantity, an existing one grows by it. */
export const addItemBody = z.object({
  itemId: id('itemId'),
  quantity: wholeNumber('quantity', 1, LIMITS.maxQuantity),
  unitPrice: wholeNumber('unitPrice', 0, LIMITS.maxUnitPrice),
});

/** PATCH: overwrites quantity and unit price of an existing line (0 is allowed, as upstream). */
export const updateItemBody = z.object({
  itemId: id('itemId'),
  quantity: wholeNumber('quantity', 0, LIMITS.maxQuantity),
  unitPrice: wholeNumber('unitPrice', 0, LIMITS.maxUnitPrice),
});
