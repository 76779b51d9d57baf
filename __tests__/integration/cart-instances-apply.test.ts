/**
 * Team instances (issue 18) against the local AWS emulator: the `emulator` environment with three
 * `cart.instances` is synthesized (guardrails included), its state, network, cluster and cart stacks are applied
 * whole with the real Terraform and aws provider on moto behind the gap filler, and re-planned clean. Then the
 * cart service runs on two of the instances' tables: a line added through one is not visible through the other.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CUSTOMER_INDEX_NAME } from '@cart-platform/service/contract';
import { environmentConfig } from '../../stacks/config/environments';
import { STACK_IDS } from '../../stacks/platform-app';
import { startCartService, type RunningCartService } from './harness/cart-service';
import { startGapFiller, type GapFiller } from './harness/aws-gap-filler';
import { startEmulator, type Emulator } from './harness/moto';
import { killAll } from './harness/process';
import { applyStack, destroyStack, newStackReport, type StackReport } from './harness/stack-lifecycle';
import {
  bootstrapLocally,
  deploymentOrder,
  REPO_ROOT,
  synthesizeWithOverrides,
  type SynthesizedStack,
} from './harness/synth';
import { findProviderMirror, terraform, writeTerraformCliConfig } from './harness/terraform-cli';

const REGION = 'us-east-1';
const TEAMS = ['team-a', 'team-b', 'team-c'] as const;
const CLUSTER = environmentConfig('emulator').cluster.name;
/** What the cart stack needs applied before it (its remote state), and itself; the add-ons are not needed. */
const STACKS: readonly string[] = [STACK_IDS.state, STACK_IDS.network, STACK_IDS.cluster, STACK_IDS.cart];
const LOG_DIR = join(REPO_ROOT, 'integration-results', 'cart-instances-logs');
const APPLY_TIMEOUT_MS = 20 * 60_000;
const PRODUCT = { itemId: 'd27cf49f-b689-4a75-a249-d373e0330bb5', unitPrice: 150 };
const CREDENTIALS = { accessKeyId: 'emulator', secretAccessKey: 'emulator' };

describe.sequential('three cart instances on the local AWS emulator', () => {
  let workDir: string;
  let emulator: Emulator | undefined;
  let filler: GapFiller | undefined;
  let endpoint: string;
  let cliConfigFile: string;
  let ordered: SynthesizedStack[] = [];
  const reports = new Map<string, StackReport>();
  const applied: SynthesizedStack[] = [];
  const lifecycle = () => ({ cliConfigFile, parallelism: 8, logDir: LOG_DIR });

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'cart-instances-'));
    emulator = await startEmulator();
    filler = await startGapFiller({ upstream: emulator.endpoint });
    endpoint = filler.endpoint;
    const stacks = bootstrapLocally(
      await synthesizeWithOverrides({
        environment: 'emulator',
        overrides: { awsEndpoint: endpoint, cart: { instances: TEAMS.map((name) => ({ name })) } },
        outdir: join(workDir, 'cdktf.out'),
        cwd: workDir,
      }),
    );
    const aws = stacks.flatMap((s) => s.providers).find((p) => p.name === 'aws');
    if (!aws) throw new Error('no stack requires the aws provider');
    cliConfigFile = writeTerraformCliConfig(workDir, findProviderMirror(aws)).cliConfigFile;
    rmSync(LOG_DIR, { recursive: true, force: true });
    mkdirSync(LOG_DIR, { recursive: true });
    ordered = deploymentOrder(stacks).filter((s) => STACKS.includes(s.id));
    for (const stack of ordered) reports.set(stack.id, newStackReport(stack));
  }, 180_000);

  afterAll(async () => {
    try {
      // Reverse order, best effort: the emulator goes away with the test anyway.
      for (const stack of [...applied].reverse()) {
        await destroyStack(stack, reports.get(stack.id) as StackReport, lifecycle()).catch(() => undefined);
      }
    } finally {
      await killAll();
      await filler?.stop();
      await emulator?.stop();
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    }
  }, APPLY_TIMEOUT_MS);

  test('the cart stack holds three tables, one shared role and one association per namespace', () => {
    const cart = ordered.find((s) => s.id === STACK_IDS.cart)?.json;
    const names = (type: string, field: string) =>
      Object.values(cart?.resource?.[type] ?? {}).map((r) => r[field]);
    expect(names('aws_dynamodb_table', 'name')).toEqual(TEAMS.map((t) => `${CLUSTER}-carts-${t}`));
    expect(names('aws_iam_role', 'name')).toEqual([`${CLUSTER}-carts`]);
    expect(names('aws_eks_pod_identity_association', 'namespace')).toEqual(TEAMS.map((t) => `carts-${t}`));
    expect(ordered.map((s) => s.id)).toEqual(STACKS);
  });

  test(
    'state, network, cluster and cart apply whole, then plan no changes',
    async () => {
      for (const stack of ordered) {
        const report = reports.get(stack.id) as StackReport;
        await applyStack(stack, report, lifecycle());
        applied.push(stack);
        expect(report.applied, `${stack.id}: resources applied`).toBe(report.expectedInstances);
        expect({ stack: stack.id, pending: report.pendingChanges }).toEqual({ stack: stack.id, pending: [] });
        expect(report.changesAfterApply, `${stack.id}: changes after apply`).toBe(0);
      }
    },
    APPLY_TIMEOUT_MS,
  );

  test('each instance table exists in the emulator with the customer index', async () => {
    const cart = applied.find((s) => s.id === STACK_IDS.cart) as SynthesizedStack;
    const result = await terraform(['output', '-json'], { cwd: cart.dir, cliConfigFile });
    expect(result.code).toBe(0);
    const outputs = JSON.parse(result.stdout) as Record<string, { value: string }>;
    const dynamodb = new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS });
    try {
      for (const team of TEAMS) {
        const tableName = outputs[`table-name-${team}`]?.value;
        expect(tableName).toBe(`${CLUSTER}-carts-${team}`);
        const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
        expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual([CUSTOMER_INDEX_NAME]);
      }
    } finally {
      dynamodb.destroy();
    }
  });

  test('isolation: a line added through team-a is not visible through team-b', async () => {
    const [a, b] = await Promise.all(
      [TEAMS[0], TEAMS[1]].map((team) =>
        startCartService({ tableName: `${CLUSTER}-carts-${team}`, endpoint, region: REGION }),
      ),
    );
    const services = [a, b] as RunningCartService[];
    const customer = `isolation-${Date.now()}`;
    const cartOf = (service: RunningCartService) => `${service.url}/carts/${customer}`;
    try {
      const added = await fetch(`${cartOf(services[0])}/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...PRODUCT, quantity: 2 }),
      });
      expect(added.status).toBe(201);
      expect(await (await fetch(cartOf(services[0]))).json()).toEqual({
        customerId: customer,
        items: [{ ...PRODUCT, quantity: 2 }],
      });
      // The same customer through team-b's instance: its own table, no line.
      const other = await fetch(cartOf(services[1]));
      expect(other.status).toBe(200);
      expect(await other.json()).toEqual({ customerId: customer, items: [] });
      expect(await (await fetch(`${cartOf(services[1])}/items/${PRODUCT.itemId}`)).status).toBe(404);
    } catch (error) {
      for (const service of services) console.log(`cart service log:\n${service.log()}`);
      throw error;
    } finally {
      await Promise.all(services.map((s) => s.stop()));
    }
  });
});
