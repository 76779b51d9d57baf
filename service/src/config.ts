/**
 * Configuration, parsed once from the environment (upstream variable names) and validated.
 * Nothing else in the service reads `process.env`.
 */
import { z } from 'zod';
import {
  DEFAULT_PORT,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_TABLE_NAME,
  ENV,
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

export interface Config {
  readonly port: number;
  /** Bind address; undefined listens on every interface (IPv4 and IPv6). */
  readonly host: string | undefined;
  readonly logLevel: LogLevel;
  readonly shutdownTimeoutMs: number;
  readonly persistence: InMemoryConfig | DynamoDbConfig;
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
}

const field = <T>(name: string, schema: z.ZodType<T>, allowed: string): Field<T> => ({
  name,
  schema,
  allowed,
});

const integer = (min: number, max: number) =>
  z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));

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
  createTable: field(
    ENV.createTable,
    z
      .string()
      .refine((v) => parseBoolean(v) !== undefined)
      .transform((v) => parseBoolean(v) === true),
    `true or false (also ${[...TRUE_VALUES, ...FALSE_VALUES].filter((v) => !/^(true|false)$/.test(v)).join(', ')})`,
  ),
  maxAttempts: field(ENV.maxAttempts, integer(1, 10), 'an integer from 1 to 10'),
  port: field(ENV.port, integer(0, 65535), 'an integer from 0 to 65535 (0 picks a free port)'),
  host: field(ENV.host, z.string().regex(/^[A-Za-z0-9.:-]{1,253}$/), 'a host name or an IP address'),
  logLevel: field(ENV.logLevel, z.enum(LOG_LEVELS), `one of ${LOG_LEVELS.join(', ')}`),
  shutdownTimeoutMs: field(ENV.shutdownTimeoutMs, integer(0, 600_000), 'an integer from 0 to 600000'),
  region: field(ENV.region, z.string().regex(AWS_REGION.pattern), AWS_REGION.expected),
  defaultRegion: field(ENV.defaultRegion, z.string().regex(AWS_REGION.pattern), AWS_REGION.expected),
} as const;

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
    problems.push(`${f.name}=${JSON.stringify(raw)} is not allowed: expected ${f.allowed}`);
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
  const shutdownTimeoutMs = read(FIELDS.shutdownTimeoutMs, DEFAULT_SHUTDOWN_TIMEOUT_MS);
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
  return { port, host, logLevel, shutdownTimeoutMs, persistence };
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
