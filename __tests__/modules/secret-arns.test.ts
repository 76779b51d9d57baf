import { describe, expect, test } from 'vitest';
import { secretFileName, secretResourceArn } from '../../modules/secret-arns';

const WHERE = { partition: 'aws', region: 'us-east-1', accountId: '123456789012' };

describe('cart secrets', () => {
  test.each([
    [
      'a name',
      'retail/cart/api',
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:retail/cart/api-??????',
    ],
    [
      'a full ARN',
      'arn:aws:secretsmanager:eu-west-1:210987654321:secret:retail/cart/db-AbCdEf',
      'arn:aws:secretsmanager:eu-west-1:210987654321:secret:retail/cart/db-AbCdEf',
    ],
    [
      'a partial ARN',
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:retail/cart/db',
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:retail/cart/db-??????',
    ],
  ])('the IAM resource of %s matches exactly that secret', (_kind, secret, arn) => {
    expect(secretResourceArn(secret, WHERE)).toBe(arn);
  });

  test.each([
    ['retail/cart/api', 'retail_cart_api'],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:retail/cart/api-AbCdEf', 'retail_cart_api'],
    ['plain', 'plain'],
  ])('%s is mounted as %s', (secret, file) => {
    expect(secretFileName(secret)).toBe(file);
  });
});
