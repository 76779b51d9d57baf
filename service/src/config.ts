/**
 * Configuration, parsed once from the environment (upstream variable names) and validated.
 * Nothing else in the service reads `process.env`.
 */
import { z } from 'zod';
import {
  DEFAULT_PORT,
  DEFAULT_SHUTDOWN_DRAIN_MS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_TABLE_NAME,
  ENV,
  OTEL_ENV,
  OTLP_TRACES_PATH,
  PERSISTENCE_PROVIDERS,
} from './contract.js';
import { FALSE_VALUES, TRUE_VALUES, isUnset, parseBoolean } from './env-parsing.js';
import { AWS_REGION, DYNAMODB_TABLE_NAME } from './validators.js';

export type Env = Readonly<Record<string, string | undefined>>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Region upstream forces when an endpoint override is set; ours only falls back to it. */
export const LOCAL_DEFAULT_REGION = 'us-west-2';
/** Credentials for DynamoDB Local and the embedded emulator, which accept any. */
export const DUMMY_CREDENTIALS = { accessKeyId: 'dummy', secretAccessKey: 'dummy' } as const;
export const DEFAULT_MAX_ATTEMPTS = 3;

export interface InMemoryConfig {
  readonly provider: 'in-memory';
}

export interface DynamoDbConfig {
  readonly provider: 'dynamodb';
  readonly tableName: string;
  /** Endpoint override (DynamoDB Local); undefined means real DynamoDB (or, with `embedded`, the dev emulator). */
  readonly endpoint: string | undefined;
  /** Dev mode only: no endpoint was configured, so the embedded emulator supplies one. */
  readonly embedded: boolean;
  readonly createTable: boolean;
  readonly region: string;
  /** Static credentials; undefined means the SDK's default provider chain (env keys, Pod Identity, IRSA). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  /** Attempts per call including the first, for the SDK's adaptive retry mode. */
  readonly maxAttempts: number;
}

/** OpenTelemetry samplers (`OTEL_TRACES_SAMPLER`), by their standard names. */
export const SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
export type SamplerName = (typeof SAMPLERS)[number];

/** The only OTLP transport the service ships (the CloudWatch agent takes it on port 4316). */
export const OTLP_PROTOCOL = 'http/protobuf';
export const DEFAULT_SERVICE_NAME = 'carts';

/** Tracing, present only when an OTLP endpoint is configured and the SDK is not disabled. */
export interface TracingConfig {
  /** Where spans are POSTed (OTLP over HTTP, protobuf). */
  readonly url: string;
  /** Extra request headers for the receiver. */
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
  /** Resource attributes besides `service.name`. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly sampler: SamplerName;
  /** Ratio of the `*traceidratio` samplers, 0 to 1. */
  readonly samplerRatio: number;
}

export interface Config {
  readonly port: number;
  /** Bind address; undefined listens on every interface (IPv4 and IPv6). */
  readonly host: string | undefined;
  readonly logLevel: LogLevel;
  /** After SIGTERM: serve everything with readiness DOWN for this long, then stop accepting. */
  readonly shutdownDrainMs: number;
  /** Then: how long in-flight requests get before the remaining connections are cut. */
  readonly shutdownTimeoutMs: number;
  readonly persistence: InMemoryConfig | DynamoDbConfig;
  /** Undefined: no tracer, no span processor, no exporter. */
  readonly tracing: TracingConfig | undefined;
  /** `npm run dev` only: the embedded store's data directory, when set. */
  readonly devDataDir?: string;
}

export interface ParseOptions {
  /**
   * `dev` (the `npm run dev` entry) defaults to DynamoDB with table creation and, without an endpoint,
   * leaves the endpoint to the embedded emulator instead of real AWS.
   * @default 'server'
   */
  readonly mode?: 'server' | 'dev';
}

/** Thrown for invalid configuration; the message names every offending variable and what is allowed. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

interface Field<T> {
  readonly name: string;
  readonly schema: z.ZodType<T>;
  /** What is allowed, for the error message. */
  readonly allowed: string;
  /** Keep the value out of error messages (it may hold a token). */
  readonly secret?: boolean;
}

const field = <T>(name: string, schema: z.ZodType<T>, allowed: string, secret = false): Field<T> => ({
  name,
  schema,
  allowed,
  secret,
});

const integer = (min: number, max: number) =>
  z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));

/** Booleans as the shared parser reads them (the guardrails read the same way: env-parsing.ts). */
const boolean = z
  .string()
  .refine((v) => parseBoolean(v) !== undefined)
  .transform((v) => parseBoolean(v) === true);
const BOOLEAN_ALLOWED = `true or false (also ${[...TRUE_VALUES, ...FALSE_VALUES].filter((v) => !/^(true|false)$/.test(v)).join(', ')})`;

const httpUrl = z.url({ protocol: /^https?$/ });

/** OpenTelemetry's `key=value,key=value` lists (headers, resource attributes); values are URL-decoded. */
const keyValueList = z.string().transform((raw, ctx) => {
  const entries: [string, string][] = [];
  for (const pair of raw.split(',')) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at).trim();
    let value: string;
    try {
      value = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      value = '';
    }
    if (at <= 0 || key === '' || value === '') {
      ctx.addIssue({ code: 'custom', message: `bad pair ${JSON.stringify(pair)}` });
      return z.NEVER;
    }
    entries.push([key, value]);
  }
  return Object.fromEntries(entries) as Record<string, string>;
});
const KEY_VALUE_ALLOWED = 'comma-separated key=value pairs, values URL-encoded (e.g. a=1,b=x%20y)';

const FIELDS = {
  provider: field(ENV.provider, z.enum(PERSISTENCE_PROVIDERS), `one of ${PERSISTENCE_PROVIDERS.join(', ')}`),
  tableName: field(
    ENV.tableName,
    z.string().regex(DYNAMODB_TABLE_NAME.pattern),
    DYNAMODB_TABLE_NAME.expected,
  ),
  endpoint: field(
    ENV.endpoint,
    z.url({ protocol: /^https?$/ }),
    'an http:// or https:// URL, e.g. http://dynamodb-local:8000',
  ),
  createTable: field(ENV.createTable, boolean, BOOLEAN_ALLOWED),
  maxAttempts: field(ENV.maxAttempts, integer(1, 10), 'an integer from 1 to 10'),
  port: field(ENV.port, integer(0, 65535), 'an integer from 0 to 65535 (0 picks a free port)'),
  host: field(ENV.host, z.string().regex(/^[A-Za-z0-9.:-]{1,253}$/), 'a host name or an IP address'),
  logLevel: field(ENV.logLevel, z.enum(LOG_LEVELS), `one of ${LOG_LEVELS.join(', ')}`),
  shutdownDrainMs: field(ENV.shutdownDrainMs, integer(0, 600_000), 'an integer from 0 to 600000'),
  shutdownTimeoutMs: field(ENV.shutdownTimeoutMs, integer(0, 600_000), 'an integer from 0 to 600000'),
  devDataDir: field(ENV.devDataDir, z.string().min(1), 'a directory path'),
  region: field(ENV.region, z.string().regex(AWS_REGION.pattern), AWS_REGION.expected),
  defaultRegion: field(ENV.defaultRegion, z.string().regex(AWS_REGION.pattern), AWS_REGION.expected),
} as const;

const OTEL_FIELDS = {
  sdkDisabled: field(OTEL_ENV.sdkDisabled, boolean, BOOLEAN_ALLOWED),
  endpoint: field(OTEL_ENV.endpoint, httpUrl, 'an http:// or https:// URL, e.g. http://collector:4318'),
  tracesEndpoint: field(
    OTEL_ENV.tracesEndpoint,
    httpUrl,
    `an http:// or https:// URL, e.g. http://collector:4318${OTLP_TRACES_PATH}`,
  ),
  protocol: field(OTEL_ENV.protocol, z.literal(OTLP_PROTOCOL), `${OTLP_PROTOCOL} (grpc is not shipped)`),
  tracesProtocol: field(
    OTEL_ENV.tracesProtocol,
    z.literal(OTLP_PROTOCOL),
    `${OTLP_PROTOCOL} (grpc is not shipped)`,
  ),
  headers: field(OTEL_ENV.headers, keyValueList, KEY_VALUE_ALLOWED, true),
  tracesHeaders: field(OTEL_ENV.tracesHeaders, keyValueList, KEY_VALUE_ALLOWED, true),
  tracesExporter: field(OTEL_ENV.tracesExporter, z.enum(['otlp', 'none']), 'otlp or none'),
  serviceName: field(OTEL_ENV.serviceName, z.string().min(1).max(255), '1 to 255 characters'),
  resourceAttributes: field(OTEL_ENV.resourceAttributes, keyValueList, KEY_VALUE_ALLOWED),
  sampler: field(OTEL_ENV.sampler, z.enum(SAMPLERS), `one of ${SAMPLERS.join(', ')}`),
  samplerArg: field(
    OTEL_ENV.samplerArg,
    z
      .string()
      .regex(/^\d*\.?\d+$/)
      .transform(Number)
      .pipe(z.number().min(0).max(1)),
    'a number from 0 to 1',
  ),
} as const;

type Read = <T>(f: Field<T>) => T | undefined;

/**
 * Tracing from the standard OTEL_* variables: on only with an endpoint (traces-specific or base), unless the SDK
 * or the traces exporter is switched off. Every variable is validated even when tracing stays off.
 */
function parseTracing(read: Read): TracingConfig | undefined {
  const disabled = read(OTEL_FIELDS.sdkDisabled) ?? false;
  const exporter = read(OTEL_FIELDS.tracesExporter) ?? 'otlp';
  const tracesEndpoint = read(OTEL_FIELDS.tracesEndpoint);
  const endpoint = read(OTEL_FIELDS.endpoint);
  read(OTEL_FIELDS.protocol);
  read(OTEL_FIELDS.tracesProtocol);
  const headers = { ...read(OTEL_FIELDS.headers), ...read(OTEL_FIELDS.tracesHeaders) };
  const resourceAttributes = read(OTEL_FIELDS.resourceAttributes) ?? {};
  // The spec's precedence: OTEL_SERVICE_NAME, then service.name in OTEL_RESOURCE_ATTRIBUTES.
  const serviceName =
    read(OTEL_FIELDS.serviceName) ?? resourceAttributes['service.name'] ?? DEFAULT_SERVICE_NAME;
  const sampler = read(OTEL_FIELDS.sampler) ?? 'parentbased_always_on';
  const samplerRatio = read(OTEL_FIELDS.samplerArg) ?? 1;
  // The spec: a base endpoint gets the signal's path appended; a signal-specific one is used as is.
  const url = tracesEndpoint ?? (endpoint && `${endpoint.replace(/\/+$/, '')}${OTLP_TRACES_PATH}`);
  if (disabled || exporter === 'none' || url === undefined) return undefined;
  return { url, headers, serviceName, resourceAttributes, sampler, samplerRatio };
}

/**
 * Parses and validates the configuration. Pure: reads only `env`. Empty strings count as unset (Helm charts
 * and ConfigMaps often render unset values as "").
 */
export function parseConfig(env: Env, options: ParseOptions = {}): Config {
  const dev = options.mode === 'dev';
  const problems: string[] = [];

  function read<T>(f: Field<T>, fallback: T): T;
  function read<T>(f: Field<T>): T | undefined;
  function read<T>(f: Field<T>, fallback?: T): T | undefined {
    const raw = env[f.name];
    if (raw === undefined || isUnset(raw)) return fallback;
    const result = f.schema.safeParse(raw.trim());
    if (result.success) return result.data;
    const shown = f.secret ? '(value hidden)' : JSON.stringify(raw);
    problems.push(`${f.name}=${shown} is not allowed: expected ${f.allowed}`);
    return fallback;
  }

  const provider = read(FIELDS.provider, dev ? 'dynamodb' : 'in-memory');
  const tableName = read(FIELDS.tableName, DEFAULT_TABLE_NAME);
  const endpoint = read(FIELDS.endpoint);
  const createTable = read(FIELDS.createTable, dev);
  const maxAttempts = read(FIELDS.maxAttempts, DEFAULT_MAX_ATTEMPTS);
  const port = read(FIELDS.port, DEFAULT_PORT);
  const host = read(FIELDS.host);
  const logLevel = read(FIELDS.logLevel, 'info');
  const shutdownDrainMs = read(FIELDS.shutdownDrainMs, dev ? 0 : DEFAULT_SHUTDOWN_DRAIN_MS);
  const shutdownTimeoutMs = read(FIELDS.shutdownTimeoutMs, DEFAULT_SHUTDOWN_TIMEOUT_MS);
  const devDataDir = dev ? read(FIELDS.devDataDir) : undefined;
  const tracing = parseTracing(read);
  const region = read(FIELDS.region) ?? read(FIELDS.defaultRegion);
  const accessKeyId = env[ENV.accessKeyId]?.trim() || undefined;
  const secretAccessKey = env[ENV.secretAccessKey]?.trim() || undefined;

  let persistence: Config['persistence'] = { provider: 'in-memory' };
  if (provider === 'dynamodb') {
    const local = endpoint !== undefined || dev;
    if (!local && createTable) {
      problems.push(
        `${ENV.createTable}=true is only allowed with ${ENV.endpoint} set: creating the table is a local-world ` +
          `setting (DynamoDB Local); on AWS the infrastructure creates the table`,
      );
    }
    if (!local && region === undefined) {
      problems.push(
        `${ENV.region} (or ${ENV.defaultRegion}) is required when ${ENV.provider}=dynamodb and ${ENV.endpoint} ` +
          `is unset: expected an AWS region such as us-west-2`,
      );
    }
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
      problems.push(`${ENV.accessKeyId} and ${ENV.secretAccessKey} must be set together or not at all`);
    }
    persistence = {
      provider: 'dynamodb',
      tableName,
      endpoint,
      embedded: dev && endpoint === undefined,
      createTable,
      region: region ?? LOCAL_DEFAULT_REGION,
      // Local endpoints accept any key; without keys in the environment the SDK would find none and fail.
      credentials: local && accessKeyId === undefined ? DUMMY_CREDENTIALS : undefined,
      maxAttempts,
    };
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    logLevel,
    shutdownDrainMs,
    shutdownTimeoutMs,
    persistence,
    tracing,
    ...(devDataDir !== undefined ? { devDataDir } : {}),
  };
}

/** The configuration of this process. The only place that reads `process.env`. */
export function loadConfig(options: ParseOptions = {}): Config {
  return parseConfig(process.env, options);
}

/** The configuration with the endpoint of the embedded emulator the dev entry started. */
export function withEmbeddedEndpoint(config: Config, endpoint: string): Config {
  if (config.persistence.provider !== 'dynamodb') return config;
  return { ...config, persistence: { ...config.persistence, endpoint } };
}
