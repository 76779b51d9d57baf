import { describe, expect, test } from 'vitest';
import { ConfigError, parseConfig, withEmbeddedEndpoint } from '../../service/src/config.js';
import { ENV } from '@cart-platform/service/contract';

const DYNAMO = { [ENV.provider]: 'dynamodb', [ENV.region]: 'us-east-1' };

describe('defaults', () => {
  test('no variables: upstream defaults (in-memory, port 8080)', () => {
    expect(parseConfig({})).toEqual({
      port: 8080,
      host: undefined,
      logLevel: 'info',
      shutdownTimeoutMs: 20_000,
      persistence: { provider: 'in-memory' },
    });
  });

  test('EKS world: DynamoDB without endpoint uses the default credential chain and AWS_REGION', () => {
    expect(parseConfig(DYNAMO).persistence).toEqual({
      provider: 'dynamodb',
      tableName: 'Items',
      endpoint: undefined,
      embedded: false,
      createTable: false,
      region: 'us-east-1',
      credentials: undefined,
      maxAttempts: 3,
    });
  });

  test('AWS_DEFAULT_REGION is used when AWS_REGION is unset', () => {
    const config = parseConfig({ [ENV.provider]: 'dynamodb', [ENV.defaultRegion]: 'eu-central-1' });
    expect(config.persistence).toMatchObject({ region: 'eu-central-1' });
  });

  test('local world: endpoint, dummy credentials, us-west-2, create-if-missing', () => {
    const config = parseConfig({
      [ENV.provider]: 'dynamodb',
      [ENV.endpoint]: 'http://dynamodb-local:8000',
      [ENV.createTable]: 'true',
      [ENV.tableName]: 'Carts',
    });
    expect(config.persistence).toEqual({
      provider: 'dynamodb',
      tableName: 'Carts',
      endpoint: 'http://dynamodb-local:8000',
      embedded: false,
      createTable: true,
      region: 'us-west-2',
      credentials: { accessKeyId: 'dummy', secretAccessKey: 'dummy' },
      maxAttempts: 3,
    });
  });

  test('local world: AWS_REGION wins over us-west-2 (upstream forced it) and keys in env are used', () => {
    const config = parseConfig({
      [ENV.provider]: 'dynamodb',
      [ENV.endpoint]: 'http://localhost:8000',
      [ENV.region]: 'ap-southeast-2',
      [ENV.accessKeyId]: 'local',
      [ENV.secretAccessKey]: 'local',
    });
    expect(config.persistence).toMatchObject({ region: 'ap-southeast-2', credentials: undefined });
  });

  test('empty strings count as unset; Spring-style booleans are accepted', () => {
    const config = parseConfig({
      [ENV.provider]: '',
      [ENV.port]: '',
      [ENV.endpoint]: '',
      [ENV.createTable]: 'FALSE',
    });
    expect(config.persistence).toEqual({ provider: 'in-memory' });
    expect(
      parseConfig({ ...DYNAMO, [ENV.endpoint]: 'http://x:8000', [ENV.createTable]: 'yes' }).persistence,
    ).toMatchObject({ createTable: true });
  });

  test('every ours-only variable', () => {
    expect(
      parseConfig({
        [ENV.port]: '9090',
        [ENV.host]: '127.0.0.1',
        [ENV.logLevel]: 'debug',
        [ENV.shutdownTimeoutMs]: '5000',
        ...DYNAMO,
        [ENV.maxAttempts]: '5',
      }),
    ).toMatchObject({
      port: 9090,
      host: '127.0.0.1',
      logLevel: 'debug',
      shutdownTimeoutMs: 5000,
      persistence: { maxAttempts: 5 },
    });
  });

  test('dev mode: DynamoDB with table creation, the endpoint left to the embedded emulator', () => {
    const config = parseConfig({}, { mode: 'dev' });
    expect(config.persistence).toEqual({
      provider: 'dynamodb',
      tableName: 'Items',
      endpoint: undefined,
      embedded: true,
      createTable: true,
      region: 'us-west-2',
      credentials: { accessKeyId: 'dummy', secretAccessKey: 'dummy' },
      maxAttempts: 3,
    });
    expect(withEmbeddedEndpoint(config, 'http://127.0.0.1:1234').persistence).toMatchObject({
      endpoint: 'http://127.0.0.1:1234',
    });
  });

  test('dev mode with an endpoint uses it and embeds nothing; in-memory stays in-memory', () => {
    expect(
      parseConfig({ [ENV.endpoint]: 'http://localhost:8000' }, { mode: 'dev' }).persistence,
    ).toMatchObject({
      endpoint: 'http://localhost:8000',
      embedded: false,
    });
    expect(parseConfig({ [ENV.provider]: 'in-memory' }, { mode: 'dev' }).persistence).toEqual({
      provider: 'in-memory',
    });
  });
});

describe('invalid values', () => {
  test.each([
    [
      { [ENV.provider]: 'mongodb' },
      'RETAIL_CART_PERSISTENCE_PROVIDER="mongodb"',
      'one of in-memory, dynamodb',
    ],
    [{ [ENV.tableName]: 'a' }, 'RETAIL_CART_PERSISTENCE_DYNAMODB_TABLE_NAME="a"', '3 to 255 characters'],
    [
      { [ENV.tableName]: 'bad name!' },
      'RETAIL_CART_PERSISTENCE_DYNAMODB_TABLE_NAME="bad name!"',
      'A-Z, a-z, 0-9',
    ],
    [
      { [ENV.endpoint]: 'localhost:8000' },
      'RETAIL_CART_PERSISTENCE_DYNAMODB_ENDPOINT="localhost:8000"',
      'http://',
    ],
    [{ [ENV.endpoint]: 'ftp://x' }, 'RETAIL_CART_PERSISTENCE_DYNAMODB_ENDPOINT="ftp://x"', 'https:// URL'],
    [
      { [ENV.createTable]: 'maybe' },
      'RETAIL_CART_PERSISTENCE_DYNAMODB_CREATE_TABLE="maybe"',
      'true or false',
    ],
    [
      { [ENV.maxAttempts]: '0' },
      'RETAIL_CART_PERSISTENCE_DYNAMODB_MAX_ATTEMPTS="0"',
      'an integer from 1 to 10',
    ],
    [{ [ENV.port]: 'http' }, 'PORT="http"', 'an integer from 0 to 65535'],
    [{ [ENV.port]: '70000' }, 'PORT="70000"', 'an integer from 0 to 65535'],
    [{ [ENV.port]: '80.5' }, 'PORT="80.5"', 'an integer from 0 to 65535'],
    [{ [ENV.host]: 'a b' }, 'HOST="a b"', 'a host name or an IP address'],
    [
      { [ENV.logLevel]: 'verbose' },
      'LOG_LEVEL="verbose"',
      'one of fatal, error, warn, info, debug, trace, silent',
    ],
    [{ [ENV.shutdownTimeoutMs]: '-1' }, 'SHUTDOWN_TIMEOUT_MS="-1"', 'an integer from 0 to 600000'],
    [{ [ENV.region]: 'Oregon' }, 'AWS_REGION="Oregon"', 'an AWS region code such as us-east-1'],
  ])('%o names the variable and what is allowed', (env, named, allowed) => {
    const error = (() => {
      try {
        parseConfig(env);
      } catch (e) {
        return e;
      }
      throw new Error('parseConfig accepted invalid input');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain(named);
    expect(message).toContain(allowed);
  });

  test.each([
    [
      'CREATE_TABLE without an endpoint (a local-world setting)',
      { ...DYNAMO, [ENV.createTable]: 'true' },
      'RETAIL_CART_PERSISTENCE_DYNAMODB_CREATE_TABLE=true is only allowed with RETAIL_CART_PERSISTENCE_DYNAMODB_ENDPOINT set',
    ],
    [
      'DynamoDB on AWS without a region',
      { [ENV.provider]: 'dynamodb' },
      'AWS_REGION (or AWS_DEFAULT_REGION) is required when RETAIL_CART_PERSISTENCE_PROVIDER=dynamodb and RETAIL_CART_PERSISTENCE_DYNAMODB_ENDPOINT is unset',
    ],
    [
      'one key without the other',
      { ...DYNAMO, [ENV.accessKeyId]: 'AKIA' },
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together',
    ],
  ])('%s fails with a clear message', (_name, env, message) => {
    expect(() => parseConfig(env)).toThrow(message);
  });

  test('every problem is reported at once', () => {
    expect(() => parseConfig({ [ENV.provider]: 'x', [ENV.port]: 'y' })).toThrow(
      'Invalid configuration:\n' +
        '  - RETAIL_CART_PERSISTENCE_PROVIDER="x" is not allowed: expected one of in-memory, dynamodb\n' +
        '  - PORT="y" is not allowed: expected an integer from 0 to 65535 (0 picks a free port)',
    );
  });
});
