import { describe, expect, test } from 'vitest';
import { ConfigError, parseConfig } from '../../service/src/config';
import { ENV } from '../../service/src/contract';
import { FALSE_VALUES, TRUE_VALUES, isUnset, parseBoolean } from '../../service/src/env-parsing';

describe('parseBoolean', () => {
  test.each([...TRUE_VALUES, 'TRUE', ' Yes ', 'On'])('%j is true', (raw) => {
    expect(parseBoolean(raw)).toBe(true);
  });

  test.each([...FALSE_VALUES, 'False', ' NO '])('%j is false', (raw) => {
    expect(parseBoolean(raw)).toBe(false);
  });

  test.each(['enabled', 'y', '2', 'truthy'])('%j is not a boolean the service accepts', (raw) => {
    expect(parseBoolean(raw)).toBeUndefined();
  });

  test('is what the service config uses for create-table', () => {
    const base = { [ENV.provider]: 'dynamodb', [ENV.endpoint]: 'http://dynamodb:8000' };
    expect(parseConfig({ ...base, [ENV.createTable]: 'on' }).persistence).toMatchObject({
      createTable: true,
    });
    expect(parseConfig({ ...base, [ENV.createTable]: '0' }).persistence).toMatchObject({
      createTable: false,
    });
    expect(() => parseConfig({ ...base, [ENV.createTable]: 'enabled' })).toThrow(ConfigError);
  });
});

describe('isUnset', () => {
  test.each([
    [undefined, true],
    ['', true],
    ['  ', true],
    ['x', false],
  ])('%j → %s', (raw, expected) => {
    expect(isUnset(raw)).toBe(expected);
  });
});
