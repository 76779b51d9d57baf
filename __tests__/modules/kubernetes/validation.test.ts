import { Token } from 'cdktf';
import { describe, expect, test } from 'vitest';
import {
  checkImage,
  checkInteger,
  checkName,
  checkPort,
  checkPortName,
  checkServiceName,
} from '../../../modules/kubernetes/validation';

describe('Kubernetes validation', () => {
  test('valid values pass', () => {
    expect(() => {
      checkName('X', 'name', 'carts-0');
      checkName('X', 'name', '0carts');
      checkServiceName('X', 'name', 'carts');
      checkPortName('X', 'port', 'http');
      checkImage('X', 'image', '123456789012.dkr.ecr.us-east-1.amazonaws.com/retail-store/cart:1.0.0');
      checkImage('X', 'image', `localhost:5000/cart@sha256:${'a'.repeat(64)}`);
      checkPort('X', 'port', 65_535);
      checkInteger('X', 'count', 7, 0);
    }).not.toThrow();
  });

  test('unresolved tokens are skipped: their value is known only at apply', () => {
    const name = Token.asString({ resolve: () => 'Not A Name' });
    const number = Token.asNumber({ resolve: () => -1 });
    expect(() => {
      checkName('X', 'name', name);
      checkServiceName('X', 'name', name);
      checkImage('X', 'image', name);
      checkPort('X', 'port', number);
    }).not.toThrow();
  });

  test.each([
    [
      'a name has capitals',
      () => checkName('X', 'name', 'Carts'),
      'X name: "Carts" must be a DNS-1123 label',
    ],
    ['a name is 64 long', () => checkName('X', 'name', 'a'.repeat(64)), `X name: "${'a'.repeat(64)}"`],
    [
      'a Service name starts with a digit',
      () => checkServiceName('X', 'name', '0carts'),
      'X name: "0carts" must be a DNS-1035 label',
    ],
    [
      'a port name has no letter',
      () => checkPortName('X', 'port', '8080'),
      'X port: "8080" must be a port name',
    ],
    [
      'an image has capitals',
      () => checkImage('X', 'image', 'Retail/cart:1'),
      'X image: "Retail/cart:1" must be an image reference such as repo/name:1.0.0',
    ],
    ['a port is 0', () => checkPort('X', 'port', 0), 'X port: 0 must be an integer in 1-65535'],
    ['an integer is a fraction', () => checkInteger('X', 'n', 1.5, 0), 'X n: 1.5 must be an integer >= 0'],
  ])('throws when %s', (_name, check, message) => {
    expect(check).toThrow(message);
  });
});
