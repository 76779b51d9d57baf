/**
 * Proof that the Terraform applies: the AWS-only stacks of the `emulator` environment, synthesized by the app,
 * are initialized on an S3 backend on a local AWS emulator, validated, planned, applied whole and exactly as
 * synthesized, re-planned (no changes allowed) and destroyed in reverse order, with the real Terraform and aws
 * provider. The emulator is moto behind the gap filler, which answers what moto lacks or gets wrong. In between,
 * the cart service runs a full round trip against the DynamoDB table Terraform created; after destroy its
 * start-up check must fail with the diagnosis.
 */
import { DeleteItemCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { environmentConfig } from '../../stacks/config/environments';
import { STACK_IDS } from '../../stacks/platform-app';
import {
  startCartService,
  startCartServiceExpectingFailure,
  type RunningCartService,
} from './harness/cart-service';
import { startGapFiller, type GapFiller } from './harness/aws-gap-filler';
import { emulatorInventory, leftovers } from './harness/emulator-inventory';
import { startEmulator, type Emulator } from './harness/moto';
import { killAll } from './harness/process';
import { formatReport, writeReport, type SkippedStack } from './harness/report';
import { runScheduled } from './harness/schedule';
import { applyStack, destroyStack, newStackReport, type StackReport } from './harness/stack-lifecycle';
import { resourceTypes } from './harness/stack-resources';
import {
  bootstrapLocally,
  deploymentOrder,
  REPO_ROOT,
  synthesize,
  type SynthesizedStack,
} from './harness/synth';
import { findProviderMirror, terraform, writeTerraformCliConfig } from './harness/terraform-cli';

const REGION = 'us-east-1';
/** Providers the emulator can serve; stacks needing any other (kubernetes, helm) are synthesized only. */
const EMULATED_PROVIDERS = new Set(['registry.terraform.io/hashicorp/aws']);
/** The report a reviewer can quote (integration-results/ is gitignored). */
const RESULTS_DIR = join(REPO_ROOT, 'integration-results');
const REPORT_FILE = join(RESULTS_DIR, 'emulator-apply.md');
/** Every Terraform command's full output, kept after the run for diagnosis. */
const LOG_DIR = join(RESULTS_DIR, 'emulator-logs');
/** Terraform's own -parallelism (moto answers fast; the provider's CPU is the bottleneck, not the API). */
const PARALLELISM = 8;
/** Stacks whose commands run at once (the machine has two cores). */
const CONCURRENCY = 2;
/** Whole-phase bounds (every Terraform command has its own, shorter deadline). */
const APPLY_TIMEOUT_MS = 20 * 60_000;
const PRODUCT = { itemId: 'd27cf49f-b689-4a75-a249-d373e0330bb5', unitPrice: 150 };

describe.sequential('the AWS stacks against a local AWS emulator', () => {
  let workDir: string;
  let emulator: Emulator | undefined;
  let filler: GapFiller | undefined;
  /** Where every client talks to "AWS": the gap filler, in front of moto. */
  let endpoint: string;
  let cliConfigFile: string;
  let ordered: SynthesizedStack[] = [];
  const applicable: SynthesizedStack[] = [];
  const notApplied: SkippedStack[] = [];
  const reports = new Map<string, StackReport>();
  const applied: SynthesizedStack[] = [];
  let tableName: string | undefined;
  const started = Date.now();
  const lifecycle = () => ({ cliConfigFile, parallelism: PARALLELISM, logDir: LOG_DIR });
  const summary = (r: StackReport) => `${r.applied} applied, ${r.changesAfterApply} changes after apply`;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'cart-emulator-'));
    emulator = await startEmulator();
    filler = await startGapFiller({ upstream: emulator.endpoint });
    endpoint = filler.endpoint;
    const stacks = bootstrapLocally(
      await synthesize({
        outdir: join(workDir, 'cdktf.out'),
        cwd: workDir,
        variables: { CART_ENV: 'emulator', CART_AWS_ENDPOINT: endpoint },
      }),
    );
    const aws = stacks.flatMap((s) => s.providers).find((p) => p.name === 'aws');
    if (!aws) throw new Error('no stack requires the aws provider');
    const setup = writeTerraformCliConfig(workDir, findProviderMirror(aws));
    cliConfigFile = setup.cliConfigFile;
    rmSync(LOG_DIR, { recursive: true, force: true });
    mkdirSync(LOG_DIR, { recursive: true });
    ordered = deploymentOrder(stacks);
    for (const stack of ordered) {
      const others = stack.providers.filter((p) => !EMULATED_PROVIDERS.has(p.address)).map((p) => p.name);
      if (others.length > 0) notApplied.push({ id: stack.id, reason: `needs ${others.join(', ')}` });
      else applicable.push(stack);
    }
    for (const stack of applicable) reports.set(stack.id, newStackReport(stack));
    console.log(
      [
        `gap filler at ${endpoint} in front of moto at ${emulator.endpoint}`,
        `providers from ${setup.mirror ?? 'the registry'}; work dir ${workDir}`,
        `order: ${ordered.map((s) => s.id).join(' -> ')}`,
        ...notApplied.map((s) => `not applied: ${s.id} (${s.reason})`),
      ].join('\n'),
    );
  });

  afterAll(async () => {
    try {
      const text = formatReport(
        [...reports.values()],
        notApplied,
        `# Emulator apply (${new Date().toISOString()}, ${((Date.now() - started) / 1000).toFixed(0)} s total)`,
        filler && { usage: filler.usage(), forwarded: filler.forwarded() },
      );
      console.log(text);
      writeReport(REPORT_FILE, text);
      if (filler) writeReport(join(LOG_DIR, 'gap-filler.log'), `${filler.log()}\n`);
    } finally {
      await killAll();
      await filler?.stop();
      await emulator?.stop();
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    }
  });

  test('the stacks are ordered from the manifest, the state stack first', () => {
    expect(ordered[0]?.id).toBe(STACK_IDS.state);
    const position = new Map(ordered.map((s, i) => [s.id, i]));
    for (const stack of ordered) {
      for (const dep of stack.dependencies)
        expect(position.get(dep)).toBeLessThan(position.get(stack.id) ?? -1);
    }
    // Remote state on the emulator's S3, locked with S3's native lock file (no DynamoDB lock table).
    for (const stack of ordered.filter((s) => s.backend === 's3')) {
      expect(stack.json.terraform.backend?.s3, stack.id).toMatchObject({
        use_lockfile: true,
        endpoints: { s3: endpoint },
      });
    }
    expect(applicable.map((s) => s.id)).toEqual(
      expect.arrayContaining([
        STACK_IDS.state,
        STACK_IDS.network,
        STACK_IDS.cluster,
        STACK_IDS.cart,
        // AWS-only as well: alarms, dashboard, the encrypted alarm topic.
        STACK_IDS.observability,
      ]),
    );
  });

  test(
    'every AWS-only stack inits, validates, plans, applies, and then plans no changes',
    async () => {
      const byId = new Map(applicable.map((s) => [s.id, s]));
      const bootstrap = applicable.filter((s) => s.backend !== 's3').map((s) => s.id);
      const result = await runScheduled(
        applicable.map((s) => s.id),
        // The S3 backend's bucket comes from the local-state stack(s), which the manifest does not say.
        (id) => [...(byId.get(id)?.dependencies ?? []), ...(byId.get(id)?.backend === 's3' ? bootstrap : [])],
        CONCURRENCY,
        async (id) => {
          const stack = byId.get(id) as SynthesizedStack;
          await applyStack(stack, reports.get(id) as StackReport, lifecycle());
          applied.push(stack);
          console.log(`applied ${id} (${summary(reports.get(id) as StackReport)})`);
        },
      );
      expect(Object.fromEntries([...result.failed].map(([id, e]) => [id, e.message]))).toEqual({});
      expect(result.blocked).toEqual([]);
      for (const stack of applicable) {
        const report = reports.get(stack.id) as StackReport;
        // Every resource instance of the synthesized stack: nothing skipped or targeted for the emulator.
        expect(report.applied, `${stack.id}: resources applied`).toBe(report.expectedInstances);
        expect({ stack: stack.id, pending: report.pendingChanges }).toEqual({ stack: stack.id, pending: [] });
        expect(report.changesAfterApply, `${stack.id}: changes in the plan after apply`).toBe(0);
      }
    },
    APPLY_TIMEOUT_MS,
  );

  test('cross-stack references resolved through the S3 remote state on the emulator', async () => {
    const stackDir = (id: string) => {
      const stack = applied.find((s) => s.id === id);
      expect(stack, `${id} was applied`).toBeDefined();
      return (stack as SynthesizedStack).dir;
    };
    const outputs = async (id: string) => {
      const result = await terraform(['output', '-json'], { cwd: stackDir(id), cliConfigFile });
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout) as Record<string, { value: unknown }>;
    };
    const network = await outputs(STACK_IDS.network);
    const cluster = await outputs(STACK_IDS.cluster);
    const eks = new EKSClient({
      endpoint: endpoint,
      region: REGION,
      credentials: { accessKeyId: 'emulator', secretAccessKey: 'emulator' },
    });
    try {
      // The cluster stack read the network stack's subnets from its state in the emulator's S3 bucket.
      const described = await eks.send(
        new DescribeClusterCommand({ name: String(cluster['cluster-name']?.value) }),
      );
      expect([...(described.cluster?.resourcesVpcConfig?.subnetIds ?? [])].sort()).toEqual(
        [...(network['private-subnet-ids']?.value as string[])].sort(),
      );
    } finally {
      eks.destroy();
    }
  });

  test('the cart service does a full round trip on the table Terraform created', async () => {
    const cart = applied.find((s) => s.id === STACK_IDS.cart);
    expect(cart, 'the cart stack was applied').toBeDefined();
    const outputs = await terraform(['output', '-json'], {
      cwd: (cart as SynthesizedStack).dir,
      cliConfigFile,
    });
    expect(outputs.code).toBe(0);
    tableName = (JSON.parse(outputs.stdout) as Record<string, { value: string }>)['table-name']?.value;
    expect(tableName).toBeTruthy();

    const service: RunningCartService = await startCartService({
      tableName: tableName as string,
      endpoint,
      region: REGION,
    });
    const dynamodb = new DynamoDBClient({
      endpoint,
      region: REGION,
      credentials: { accessKeyId: 'emulator', secretAccessKey: 'emulator' },
    });
    const customer = `it-${Date.now()}`;
    const cartUrl = `${service.url}/carts/${customer}`;
    const json = { 'content-type': 'application/json' };
    try {
      const topology = await fetch(`${service.url}/topology`);
      expect(await topology.json()).toEqual({
        persistenceProvider: 'dynamodb',
        dynamodbTable: tableName,
        dynamodbEndpoint: endpoint,
      });

      const added = await fetch(`${cartUrl}/items`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ ...PRODUCT, quantity: 1 }),
      });
      expect(added.status).toBe(201);
      expect(await added.json()).toEqual({ ...PRODUCT, quantity: 1 });

      // The line is in Terraform's table, under upstream's key (customerId:itemId).
      const stored = await dynamodb.send(
        new GetItemCommand({ TableName: tableName, Key: { id: { S: `${customer}:${PRODUCT.itemId}` } } }),
      );
      expect(stored.Item?.customerId).toEqual({ S: customer });
      expect(stored.Item?.unitPrice).toEqual({ N: '150' });

      const cart1 = await fetch(cartUrl);
      expect(cart1.status).toBe(200);
      expect(await cart1.json()).toEqual({ customerId: customer, items: [{ ...PRODUCT, quantity: 1 }] });

      const updated = await fetch(`${cartUrl}/items`, {
        method: 'PATCH',
        headers: json,
        body: JSON.stringify({ ...PRODUCT, quantity: 3 }),
      });
      expect(updated.status).toBe(202);
      const item = await fetch(`${cartUrl}/items/${PRODUCT.itemId}`);
      expect(await item.json()).toEqual({ ...PRODUCT, quantity: 3 });

      const removed = await fetch(`${cartUrl}/items/${PRODUCT.itemId}`, { method: 'DELETE' });
      expect(removed.status).toBe(202);
      const cart2 = await fetch(cartUrl);
      expect(await cart2.json()).toEqual({ customerId: customer, items: [] });

      await fetch(`${cartUrl}/items`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ ...PRODUCT, quantity: 2 }),
      });
      const deleted = await fetch(cartUrl, { method: 'DELETE' });
      expect(deleted.status).toBe(202);
      expect(await deleted.json()).toEqual({ customerId: null, items: [] });
      expect(await (await fetch(`${cartUrl}/items`)).json()).toEqual([]);
    } catch (error) {
      console.log(`cart service log:\n${service.log()}`);
      throw error;
    } finally {
      await service.stop();
      // Leave the table as Terraform made it (destroy does not care, but a re-plan would not either).
      await dynamodb.send(
        new DeleteItemCommand({ TableName: tableName, Key: { id: { S: `${customer}:${PRODUCT.itemId}` } } }),
      );
      dynamodb.destroy();
    }
  });

  test(
    'destroy, in reverse order, removes everything',
    async () => {
      // Whatever was applied is destroyed, even when another stack failed to apply.
      const byId = new Map(applied.map((s) => [s.id, s]));
      const result = await runScheduled(
        applied.map((s) => s.id),
        // Reverse order: a stack goes once every stack that reads it (or keeps its state in its bucket) is gone.
        (id) =>
          applied
            .filter(
              (s) => s.dependencies.includes(id) || (byId.get(id)?.backend !== 's3' && s.backend === 's3'),
            )
            .map((s) => s.id),
        CONCURRENCY,
        async (id) => {
          await destroyStack(byId.get(id) as SynthesizedStack, reports.get(id) as StackReport, lifecycle());
          console.log(`destroyed ${id}`);
        },
      );
      expect(Object.fromEntries([...result.failed].map(([id, e]) => [id, e.message]))).toEqual({});
      expect(result.blocked).toEqual([]);
      for (const stack of applied) {
        const report = reports.get(stack.id) as StackReport;
        expect(report.destroyed, `${stack.id}: resources destroyed`).toBe(report.applied);
      }
      expect(applied.map((s) => s.id).sort()).toEqual(applicable.map((s) => s.id).sort());
    },
    APPLY_TIMEOUT_MS,
  );

  test('the emulator holds nothing of ours afterwards', async () => {
    const inventory = await emulatorInventory({
      endpoint: endpoint,
      region: REGION,
      // Every IAM name the stacks make starts with the project prefix (retail-emulator-eks-cluster, …).
      iamPrefixes: [`${environmentConfig('emulator').project}-`],
    });
    // What moto holds, and what the gap filler keeps for it (add-ons, associations, bucket policies, …).
    expect(leftovers({ ...inventory, ...(filler as GapFiller).held() })).toEqual({});
  });

  test('the gap filler corrected what each applied resource type needs, from apply to destroy', () => {
    const types = new Set(applied.flatMap((s) => resourceTypes(s.json)));
    const needed = (filler as GapFiller).usage().filter((u) => u.terraformTypes.some((t) => types.has(t)));
    expect(needed.map((u) => u.name)).toEqual(
      expect.arrayContaining(['eks-addons', 'eks-pod-identity', 'eks-cluster-fields', 's3-bucket-policy']),
    );
    for (const correction of needed) expect(correction.total, correction.name).toBeGreaterThan(0);
  });

  test('without the table, the cart service fails its start-up check with the diagnosis', async () => {
    expect(tableName).toBeTruthy();
    const result = await startCartServiceExpectingFailure({
      tableName: tableName as string,
      endpoint: endpoint,
      region: REGION,
    });
    expect(result.timedOut).toBe(false);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('An error occurred when accessing Amazon DynamoDB');
    expect(result.output).toContain('ResourceNotFound');
  });
});
