import { Hono } from 'hono';
import type { Config } from '../config.js';
import { HEALTH_PATHS } from '../contract.js';
import type { AppEnv } from './env.js';

export interface Topology {
  readonly persistenceProvider: string;
  readonly dynamodbTable: string;
  /** null when DynamoDB is used without an endpoint override; "N/A" when DynamoDB is not used. */
  readonly dynamodbEndpoint: string | null;
}

export function topologyOf(config: Config): Topology {
  const p = config.persistence;
  if (p.provider !== 'dynamodb') {
    return { persistenceProvider: p.provider, dynamodbTable: 'N/A', dynamodbEndpoint: 'N/A' };
  }
  return {
    persistenceProvider: p.provider,
    dynamodbTable: p.tableName,
    dynamodbEndpoint: p.endpoint ?? null,
  };
}

/** Upstream's /topology, which the UI's topology page reads. */
export function topologyRoutes(config: Config): Hono<AppEnv> {
  const topology = new Hono<AppEnv>();
  const body = topologyOf(config);
  topology.get(HEALTH_PATHS.topology, (c) => c.json(body));
  return topology;
}
