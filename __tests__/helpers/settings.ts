/** Account settings as a prod deploy would have them (the emulator's account id, a non-documentation range). */
export const PROD_SETTINGS = {
  CART_ACCOUNT_ID: '123456789012',
  CART_ADMIN_CIDRS: '198.18.0.0/24',
  CART_ADMIN_PRINCIPALS: 'arn:aws:iam::123456789012:role/platform-admins',
} as const;
