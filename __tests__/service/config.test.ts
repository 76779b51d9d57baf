import { describe, expect, test } from 'vitest';
import { ConfigError, parseConfig, withEmbeddedEndpoint } from '../../service/src/config.js';
import {
  DEFAULT_SHUTDOWN_DRAIN_MS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  ENV,
  OTEL_ENV,
} from '@cart-platform/service/contract';

const DYNAMO = { [ENV.provider]: 'dynamodb', [ENV.region]: 'us-east-1' };

describe('defaults', () => {
  test('no variables: upstream defaults (in-memory, port 8080)', () => {
    expect(parseConfig({})).toEqual({
      port: 8080,
      host: undefined,
      logLevel: 'info',
      shutdownDrainMs: 10_000,
      shutdownTimeoutMs: 20_000,
      persistence: { provider: 'in-memory' },
      tracing: undefined,
    });
    expect([DEFAULT_SHUTDOWN_DRAIN_MS, DEFAULT_SHUTDOWN_TIMEOUT_MS]).toEqual([10_000, 20_000]);
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
        [ENV.shutdownDrainMs]: '1500',
        [ENV.shutdownTimeoutMs]: '5000',
        ...DYNAMO,
        [ENV.maxAttempts]: '5',
      }),
    ).toMatchObject({
      port: 9090,
      host: '127.0.0.1',
      logLevel: 'debug',
      shutdownDrainMs: 1500,
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

  test('dev mode drains for 0 ms (nothing routes to a laptop) and honours DEV_DATA_DIR; servers ignore it', () => {
    expect(parseConfig({}, { mode: 'dev' })).toMatchObject({ shutdownDrainMs: 0 });
    expect(parseConfig({}, { mode: 'dev' }).devDataDir).toBeUndefined();
    expect(parseConfig({ [ENV.devDataDir]: '/tmp/carts-2' }, { mode: 'dev' }).devDataDir).toBe(
      '/tmp/carts-2',
    );
    expect(parseConfig({ [ENV.devDataDir]: '/tmp/carts-2' }).devDataDir).toBeUndefined();
    expect(parseConfig({ [ENV.shutdownDrainMs]: '250' }, { mode: 'dev' }).shutdownDrainMs).toBe(250);
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
    [{ [ENV.shutdownDrainMs]: '10s' }, 'SHUTDOWN_DRAIN_MS="10s"', 'an integer from 0 to 600000'],
    [
      { [OTEL_ENV.endpoint]: 'collector:4318' },
      'OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318"',
      'an http:// or https:// URL',
    ],
    [
      { [OTEL_ENV.tracesEndpoint]: 'grpc://collector:4317' },
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="grpc://collector:4317"',
      'an http:// or https:// URL',
    ],
    [
      { [OTEL_ENV.protocol]: 'grpc' },
      'OTEL_EXPORTER_OTLP_PROTOCOL="grpc"',
      'http/protobuf (grpc is not shipped)',
    ],
    [
      { [OTEL_ENV.tracesProtocol]: 'http/json' },
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL="http/json"',
      'http/protobuf (grpc is not shipped)',
    ],
    [{ [OTEL_ENV.tracesExporter]: 'jaeger' }, 'OTEL_TRACES_EXPORTER="jaeger"', 'otlp or none'],
    [{ [OTEL_ENV.sdkDisabled]: 'nope' }, 'OTEL_SDK_DISABLED="nope"', 'true or false'],
    [{ [OTEL_ENV.sampler]: 'ratio' }, 'OTEL_TRACES_SAMPLER="ratio"', 'one of parentbased_always_on'],
    [{ [OTEL_ENV.samplerArg]: '1.5' }, 'OTEL_TRACES_SAMPLER_ARG="1.5"', 'a number from 0 to 1'],
    [{ [OTEL_ENV.samplerArg]: '10%' }, 'OTEL_TRACES_SAMPLER_ARG="10%"', 'a number from 0 to 1'],
    [
      { [OTEL_ENV.resourceAttributes]: 'team' },
      'OTEL_RESOURCE_ATTRIBUTES="team"',
      'comma-separated key=value pairs',
    ],
    [{ [OTEL_ENV.serviceName]: 'x'.repeat(256) }, 'OTEL_SERVICE_NAME=', '1 to 255 characters'],
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

  test('a malformed OTLP header list is refused without echoing its value (it may hold a token)', () => {
    expect(() => parseConfig({ [OTEL_ENV.headers]: 'authorization' })).toThrow(
      'OTEL_EXPORTER_OTLP_HEADERS=(value hidden) is not allowed: expected comma-separated key=value pairs',
    );
    expect(() => parseConfig({ [OTEL_ENV.tracesHeaders]: 'secret-token' })).not.toThrow(/secret-token/);
  });

  test('every problem is reported at once', () => {
    expect(() => parseConfig({ [ENV.provider]: 'x', [ENV.port]: 'y' })).toThrow(
      'Invalid configuration:\n' +
        '  - RETAIL_CART_PERSISTENCE_PROVIDER="x" is not allowed: expected one of in-memory, dynamodb\n' +
        '  - PORT="y" is not allowed: expected an integer from 0 to 65535 (0 picks a free port)',
    );
  });
});

describe('tracing (standard OTEL_* variables)', () => {
  test('off without an endpoint, whatever else is set', () => {
    expect(
      parseConfig({
        [OTEL_ENV.serviceName]: 'carts-prod',
        [OTEL_ENV.sampler]: 'always_on',
        [OTEL_ENV.resourceAttributes]: 'a=b',
      }).tracing,
    ).toBeUndefined();
  });

  test('a base endpoint gets /v1/traces; defaults: service carts, parent-based always-on', () => {
    expect(
      parseConfig({ [OTEL_ENV.endpoint]: 'http://cloudwatch-agent.amazon-cloudwatch:4316/' }).tracing,
    ).toEqual({
      url: 'http://cloudwatch-agent.amazon-cloudwatch:4316/v1/traces',
      headers: {},
      serviceName: 'carts',
      resourceAttributes: {},
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
  });

  test('every variable', () => {
    expect(
      parseConfig({
        [OTEL_ENV.endpoint]: 'http://ignored:4318',
        [OTEL_ENV.tracesEndpoint]: 'https://collector.example:4318/custom/traces',
        [OTEL_ENV.protocol]: 'http/protobuf',
        [OTEL_ENV.tracesProtocol]: 'http/protobuf',
        [OTEL_ENV.headers]: 'x-tenant=a,x-key=base',
        [OTEL_ENV.tracesHeaders]: 'x-key=traces%20only',
        [OTEL_ENV.tracesExporter]: 'otlp',
        [OTEL_ENV.serviceName]: 'carts-team-a',
        [OTEL_ENV.resourceAttributes]: 'deployment.environment.name=prod,k8s.namespace.name=carts',
        [OTEL_ENV.sampler]: 'parentbased_traceidratio',
        [OTEL_ENV.samplerArg]: '0.25',
        [OTEL_ENV.sdkDisabled]: 'false',
      }).tracing,
    ).toEqual({
      url: 'https://collector.example:4318/custom/traces',
      headers: { 'x-tenant': 'a', 'x-key': 'traces only' },
      serviceName: 'carts-team-a',
      resourceAttributes: { 'deployment.environment.name': 'prod', 'k8s.namespace.name': 'carts' },
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
    });
  });

  test.each([
    ['OTEL_SDK_DISABLED=true', { [OTEL_ENV.sdkDisabled]: 'true' }],
    ['OTEL_TRACES_EXPORTER=none', { [OTEL_ENV.tracesExporter]: 'none' }],
  ])('%s switches it off even with an endpoint', (_name, env) => {
    expect(parseConfig({ [OTEL_ENV.endpoint]: 'http://collector:4318', ...env }).tracing).toBeUndefined();
  });
});
