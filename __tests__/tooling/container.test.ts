/**
 * The cart image and compose.yaml, checked without Docker: the Dockerfile's rules (dockerfile-checks.ts, each
 * shown to fail on a bad example), the build context's allow-list, and compose wiring the cart to DynamoDB Local
 * with the variable names of the service's contract and the local stack's DynamoDB Local version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { DYNAMODB_LOCAL_PORT } from '../../modules/dynamodb-local';
import { CONTAINER_USER_ID, DEFAULT_PORT, ENV, PERSISTENCE_PROVIDERS } from '@cart-platform/service/contract';
import { environmentConfig } from '../../stacks/config/environments';
import { dockerfileProblems, dockerignoreProblems, dockerInstructions } from './dockerfile-checks';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const DOCKERFILE = read('service/Dockerfile');
const RULES = { userId: CONTAINER_USER_ID, port: DEFAULT_PORT };

describe('service/Dockerfile', () => {
  test('follows every rule', () => {
    expect(dockerfileProblems(DOCKERFILE, RULES)).toEqual([]);
  });

  test('build, deps and runtime stages on one pinned Node 22 image', () => {
    const instructions = dockerInstructions(DOCKERFILE);
    expect(instructions.filter((i) => i.keyword === 'FROM').map((i) => i.args)).toEqual([
      '${NODE_IMAGE} AS build',
      '${NODE_IMAGE} AS deps',
      '${NODE_IMAGE} AS runtime',
    ]);
    expect(instructions.find((i) => i.keyword === 'ARG')?.args).toBe('NODE_IMAGE=node:22.23.2-alpine3.24');
  });

  test('the runtime stage copies the compiled service and its production dependencies, nothing else', () => {
    const instructions = dockerInstructions(DOCKERFILE);
    const runtime = instructions.slice(instructions.map((i) => i.keyword).lastIndexOf('FROM'));
    expect(runtime.filter((i) => i.keyword === 'COPY').map((i) => i.args)).toEqual([
      '--from=deps /app/node_modules ./node_modules',
      '--from=deps /app/service/node_modules ./service/node_modules',
      '--from=build /app/service/dist ./service/dist',
      'service/package.json ./service/package.json',
    ]);
    expect(runtime.filter((i) => i.keyword === 'RUN')).toEqual([]);
    expect(runtime.find((i) => i.keyword === 'CMD')?.args).toBe('["node", "dist/server.js"]');
  });

  test('the build context is an allow-list of the service workspace', () => {
    expect(dockerignoreProblems(read('service/Dockerfile.dockerignore'))).toEqual([]);
  });

  const GOOD = [
    'ARG NODE_IMAGE=node:22.23.2-alpine3.24',
    'FROM ${NODE_IMAGE} AS build',
    'COPY package.json package-lock.json ./',
    'COPY service/package.json service/',
    'RUN npm ci --workspace service --ignore-scripts',
    'COPY service/src service/src',
    'RUN npm run build --workspace service',
    'FROM ${NODE_IMAGE} AS deps',
    'COPY package.json package-lock.json ./',
    'RUN --mount=type=cache,target=/root/.npm \\',
    '    npm ci -w service --omit=dev \\',
    ' && mkdir -p service/node_modules',
    'FROM ${NODE_IMAGE} AS runtime',
    'COPY --from=deps /app/node_modules ./node_modules',
    'USER 1000:1000',
    'EXPOSE 8080',
    'CMD ["node", "dist/server.js"]',
  ].join('\n');
  const bad = (from: string, to: string) => {
    if (!GOOD.includes(from)) throw new Error(`the example has no ${from}`);
    return GOOD.replace(from, to);
  };

  test('the small example is clean', () => {
    expect(dockerfileProblems(GOOD, RULES)).toEqual([]);
  });

  test.each<[string, string, string]>([
    [
      'a floating base image',
      bad('node:22.23.2-alpine3.24', 'node:22-alpine'),
      'line 2: base image "node:22-alpine" is not an exact Node 22 release (node:22.x.y-<os>)',
    ],
    [
      'another Node major',
      bad('node:22.23.2-alpine3.24', 'node:20.19.5-alpine3.22'),
      'line 2: base image "node:20.19.5-alpine3.22" is not an exact Node 22 release (node:22.x.y-<os>)',
    ],
    [
      'a missing stage',
      bad('FROM ${NODE_IMAGE} AS deps', 'FROM ${NODE_IMAGE} AS dependencies'),
      'stages build, dependencies, runtime: expected build, deps, runtime (the last one is the image)',
    ],
    [
      'the whole repository in the context',
      bad('COPY service/src service/src', 'COPY . .'),
      'line 6: COPY of "." is outside the service workspace',
    ],
    [
      'the infrastructure code',
      bad('COPY service/src service/src', 'COPY modules service/src'),
      'line 6: COPY of "modules" is outside the service workspace',
    ],
    [
      'an install of every workspace',
      bad('npm ci --workspace service --ignore-scripts', 'npm ci --ignore-scripts'),
      'line 5: "npm ci --ignore-scripts" installs more than the service workspace',
    ],
    [
      'devDependencies in the runtime',
      bad('npm ci -w service --omit=dev', 'npm ci -w service'),
      'line 10: the deps stage installs devDependencies (add --omit=dev)',
    ],
    [
      'npm install',
      bad('RUN npm run build', 'RUN npm install && npm run build'),
      'line 7: npm install (use npm ci: the lockfile, exactly)',
    ],
    ['root', bad('USER 1000:1000\n', ''), 'the runtime stage runs as "root", expected 1000:1000'],
    [
      'a user by name',
      bad('USER 1000:1000', 'USER node'),
      'the runtime stage runs as "node", expected 1000:1000',
    ],
    ['another port', bad('EXPOSE 8080', 'EXPOSE 3000'), 'the runtime stage exposes 3000, expected 8080'],
    [
      'a shell-form CMD',
      bad('CMD ["node", "dist/server.js"]', 'CMD npm start'),
      'CMD is not in exec form: node would not be PID 1 and get SIGTERM',
    ],
  ])('refuses %s', (_, dockerfile, problem) => {
    expect(dockerfileProblems(dockerfile, RULES)).toEqual([problem]);
  });

  test.each<[string, string, string]>([
    ['a deny-list', 'node_modules\ncdktf.out\n', 'the ignore file does not start with "*" (an allow-list)'],
    [
      'the infrastructure code',
      '*\n!package.json\n!modules\n',
      'the ignore file lets "modules" into the context',
    ],
  ])('refuses an ignore file with %s', (_, ignore, problem) => {
    expect(dockerignoreProblems(ignore)).toEqual([problem]);
  });
});

describe('compose.yaml', () => {
  interface Service {
    image?: string;
    build?: { context: string; dockerfile: string };
    command?: string[];
    environment?: Record<string, string>;
    user?: string;
    read_only?: boolean;
    tmpfs?: string[];
    cap_drop?: string[];
    depends_on?: string[];
  }
  const compose = parse(read('compose.yaml')) as { services: Record<string, Service> };
  const { carts, dynamodb } = compose.services;

  test('builds the cart from service/Dockerfile with the repository root as context', () => {
    expect(Object.keys(compose.services)).toEqual(['dynamodb', 'carts']);
    expect(carts.build).toEqual({ context: '.', dockerfile: 'service/Dockerfile' });
  });

  test('runs the local stack’s DynamoDB Local, one shared database', () => {
    expect(dynamodb.image).toBe(environmentConfig('local').local.dynamodbLocalImage);
    expect(dynamodb.image).toBe('amazon/dynamodb-local:2.6.1');
    expect(dynamodb.command).toEqual(['-jar', 'DynamoDBLocal.jar', '-sharedDb', '-inMemory']);
  });

  test('wires the cart to DynamoDB Local with the contract’s variable names', () => {
    const known = new Set<string>(Object.values(ENV));
    expect(Object.keys(carts.environment ?? {}).filter((name) => !known.has(name))).toEqual([]);
    expect(carts.environment).toEqual({
      [ENV.provider]: PERSISTENCE_PROVIDERS[1],
      [ENV.endpoint]: `http://dynamodb:${DYNAMODB_LOCAL_PORT}`,
      [ENV.tableName]: 'Items',
      [ENV.createTable]: 'true',
      [ENV.region]: 'us-west-2',
      [ENV.accessKeyId]: 'local',
      [ENV.secretAccessKey]: 'local',
    });
    expect(carts.depends_on).toEqual(['dynamodb']);
  });

  test.each(['carts', 'dynamodb'])(
    '%s runs as uid 1000 on a read-only root filesystem, /tmp only',
    (name) => {
      const service = compose.services[name];
      expect(service.user).toBe(`${CONTAINER_USER_ID}:${CONTAINER_USER_ID}`);
      expect(service.read_only).toBe(true);
      expect(service.tmpfs?.map((t) => t.split(':')[0])).toEqual(['/tmp']);
      expect(service.cap_drop).toEqual(['ALL']);
    },
  );
});
