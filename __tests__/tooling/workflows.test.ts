/**
 * The GitHub Actions workflows, checked offline: GitHub's own workflow parser (@actions/workflow-parser: schema,
 * expressions and the contexts allowed where they are used), then the project's rules (workflow-checks.ts) —
 * each rule also shown to fail on a small bad workflow.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, test } from 'vitest';
import { parseWorkflowYaml, workflowProblems, type WorkflowFile } from './workflow-checks';

const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, '.github', 'workflows');
const FILES: WorkflowFile[] = readdirSync(DIR)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => ({ name, text: readFileSync(join(DIR, name), 'utf8') }));
const file = (name: string): WorkflowFile => {
  const found = FILES.find((f) => f.name === name);
  if (!found) throw new Error(`no .github/workflows/${name}`);
  return found;
};

/** What GitHub's parser reports: schema, expression and context errors, with line and column. */
async function parserErrors(workflow: WorkflowFile): Promise<string[]> {
  const result = parseWorkflow({ name: workflow.name, content: workflow.text }, new NoOperationTraceWriter());
  if (result.value) await convertWorkflowTemplate(result.context, result.value);
  return result.context.errors.getErrors().map((e) => e.message);
}

type Steps = Array<{ uses?: string; run?: string; if?: string; with?: Record<string, unknown> }>;
type Jobs = Record<string, Record<string, unknown> & { steps?: Steps }>;
const jobsOf = (name: string) => (parseWorkflowYaml(file(name)) as unknown as { jobs: Jobs }).jobs;
const runs = (steps: Steps | undefined) => (steps ?? []).flatMap((s) => (s.run ? [s.run.trim()] : []));

test('the workflows', () => {
  expect(FILES.map((f) => f.name)).toEqual(['ci.yml', 'deploy-environment.yml', 'plan.yml', 'release.yml']);
});

describe.each(FILES.map((f) => [f.name, f] as const))('%s', (_, workflow) => {
  test('parses without errors with GitHub’s workflow parser', async () => {
    expect(await parserErrors(workflow)).toEqual([]);
  });

  test('pins actions, declares least-privilege permissions, serializes deploys', () => {
    expect(workflowProblems(workflow, FILES)).toEqual([]);
  });
});

test('every action is pinned to the same commit in every workflow', () => {
  const pins = new Map<string, Set<string>>();
  for (const { text } of FILES) {
    for (const [, action, sha] of text.matchAll(/uses:\s*([\w.-]+\/[\w.-]+)[^@\s]*@([0-9a-f]{40})/g)) {
      pins.set(action, (pins.get(action) ?? new Set()).add(sha));
    }
  }
  expect([...pins].filter(([, shas]) => shas.size > 1)).toEqual([]);
  expect(pins.size).toBe(10);
});

describe('ci.yml', () => {
  const { check } = jobsOf('ci.yml');

  test('runs .ci/run’s steps, in its order, then terraform validate', () => {
    const commands = runs(check.steps).map((r) => r.split('\n')[0].replace(/ --no-audit --no-fund$/, ''));
    expect(commands).toEqual([
      'npm ci',
      'npm run lint',
      'npm run typecheck',
      'npm test',
      'npm run synth',
      'npm run validate',
    ]);
    const local = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    const positions = commands.slice(0, 5).map((c) => local.search(new RegExp(`^${c}\\b`, 'm')));
    expect(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]))).toBe(true);
  });

  test('uploads the guardrails’ SARIF only when synth wrote it', () => {
    const upload = (check.steps ?? []).find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with?.sarif_file).toBe('cdktf.out/guardrails.sarif');
    expect(upload?.if).toBe("${{ !cancelled() && hashFiles('cdktf.out/guardrails.sarif') != '' }}");
    expect(check.permissions).toEqual({ contents: 'read', 'security-events': 'write', actions: 'read' });
  });
});

describe('plan.yml', () => {
  const { diff } = jobsOf('plan.yml');

  test('diffs dev and prod with each environment’s planner role, into the job summary', () => {
    const matrix = (diff.strategy as { matrix: { include: Array<Record<string, string>> } }).matrix.include;
    expect(matrix).toEqual([
      { environment: 'dev', role: '${{ vars.AWS_PLANNER_ROLE_ARN_DEV }}' },
      { environment: 'prod', role: '${{ vars.AWS_PLANNER_ROLE_ARN_PROD }}' },
    ]);
    const script = runs(diff.steps).join('\n');
    expect(script).toContain('npm run diff -- --no-color');
    expect(diff.env).toMatchObject({ CART_ACCOUNT_ID: '${{ vars.CART_ACCOUNT_ID }}' });
    expect(diff.if).toBe('${{ github.event.pull_request.head.repo.full_name == github.repository }}');
  });
});

describe('release.yml and deploy-environment.yml', () => {
  const release = jobsOf('release.yml');
  const deploy = jobsOf('deploy-environment.yml');

  test('builds the image once, for linux/amd64, tagged with the commit SHA, without cloud credentials', () => {
    const build = (release.image.steps ?? []).find((s) => s.uses?.startsWith('docker/build-push-action@'));
    expect(build?.with).toMatchObject({
      file: 'service/Dockerfile',
      platforms: 'linux/amd64',
      tags: 'retail-store/cart:${{ github.event.workflow_run.head_sha }}',
    });
    expect(release.image.permissions).toEqual({ contents: 'read' });
  });

  test('dev deploys after the build, prod after dev, both through the same reusable workflow', () => {
    expect([release.dev.needs, release.prod.needs]).toEqual(['image', ['image', 'dev']]);
    expect([release.dev.with, release.prod.with]).toMatchObject([
      { environment: 'dev', 'publisher-role-arn': '${{ vars.AWS_PUBLISHER_ROLE_ARN_DEV }}' },
      { environment: 'prod', 'publisher-role-arn': '${{ vars.AWS_PUBLISHER_ROLE_ARN_PROD }}' },
    ]);
  });

  test('pushes outside any GitHub environment, deploys inside one, the tag reaching the config', () => {
    expect(deploy.publish.environment).toBeUndefined();
    expect(deploy.publish.permissions).toEqual({ 'id-token': 'write' });
    expect(deploy.deploy.environment).toBe('${{ inputs.environment }}');
    expect(deploy.deploy.env).toMatchObject({
      CART_ENV: '${{ inputs.environment }}',
      CART_IMAGE_TAG: '${{ inputs.image-tag }}',
      CART_ADMIN_PRINCIPALS: '${{ vars.CART_ADMIN_PRINCIPALS }}',
    });
    expect(runs(deploy.deploy.steps)[1]).toMatch(/^npm run deploy -- cart-workload --auto-approve\n/);
  });
});

describe('workflowProblems on a bad workflow', () => {
  const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1';
  const ROLE = 'aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3';
  const good = [
    'on: push',
    'permissions:',
    '  contents: read',
    'env:',
    "  CHECKPOINT_DISABLE: '1'",
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-24.04',
    '    environment: dev',
    '    concurrency:',
    '      group: deploy-dev',
    '      cancel-in-progress: false',
    '    permissions:',
    '      contents: read',
    '      id-token: write',
    '    steps:',
    `      - uses: ${CHECKOUT}`,
    `      - uses: ${ROLE}`,
    '        with: { role-to-assume: arn:aws:iam::111122223333:role/deployer, aws-region: us-east-1 }',
    '      - run: npx cdktf deploy cart-workload --auto-approve',
  ].join('\n');
  const bad = (from: string, to: string): WorkflowFile => {
    if (!good.includes(from)) throw new Error(`the example has no ${from}`);
    return { name: 'bad.yml', text: good.replace(from, to) };
  };

  test('the example itself is clean', () => {
    expect(workflowProblems({ name: 'bad.yml', text: good })).toEqual([]);
  });

  test.each<[string, WorkflowFile, string | string[]]>([
    [
      'an action by tag',
      bad(CHECKOUT, 'actions/checkout@v7'),
      'bad.yml:17: actions/checkout@v7 is not pinned to a full commit SHA',
    ],
    [
      'a short SHA',
      bad(CHECKOUT, 'actions/checkout@3d3c42e # v7.0.1'),
      'bad.yml:17: actions/checkout@3d3c42e is not pinned to a full commit SHA',
    ],
    [
      'a SHA without its release',
      bad(' # v7.0.1', ''),
      'bad.yml:17: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 has no "# vX.Y.Z" comment naming the release',
    ],
    [
      'a docker image by tag',
      bad(`uses: ${CHECKOUT}`, 'uses: docker://alpine:3.22'),
      'bad.yml:17: docker://alpine:3.22 is not pinned to an image digest',
    ],
    [
      'no top-level permissions',
      bad('permissions:\n  contents: read\n', ''),
      'bad.yml: no top-level permissions',
    ],
    [
      'an OIDC token for every job',
      bad('permissions:\n  contents: read\n', 'permissions:\n  id-token: write\n'),
      'bad.yml: id-token: write at the top level (grant it to the jobs that assume a role)',
    ],
    [
      'a job without permissions',
      bad('    permissions:\n      contents: read\n      id-token: write\n', ''),
      ['bad.yml job deploy: no permissions', 'bad.yml job deploy: assumes a role without id-token: write'],
    ],
    [
      'write-all',
      bad('    permissions:\n      contents: read\n      id-token: write\n', '    permissions: write-all\n'),
      'bad.yml job deploy: write-all permissions',
    ],
    [
      'an OIDC token for a job that assumes no role',
      bad(
        `      - uses: ${ROLE}\n        with: { role-to-assume: arn:aws:iam::111122223333:role/deployer, aws-region: us-east-1 }\n`,
        '',
      ),
      'bad.yml job deploy: id-token: write but assumes no role',
    ],
    [
      'a role without an OIDC token',
      bad('      id-token: write\n', ''),
      'bad.yml job deploy: assumes a role without id-token: write',
    ],
    [
      'a deploy without a concurrency group',
      bad('    concurrency:\n      group: deploy-dev\n      cancel-in-progress: false\n', ''),
      'bad.yml job deploy: deploys without a concurrency group',
    ],
    [
      'a deploy group not named after its environment',
      bad('group: deploy-dev', 'group: deploys'),
      'bad.yml job deploy: concurrency group "deploys" does not name the environment dev',
    ],
    [
      'a deploy that cancels the one in progress',
      bad('cancel-in-progress: false', 'cancel-in-progress: true'),
      'bad.yml job deploy: a deploy must queue, not cancel (cancel-in-progress: false)',
    ],
    [
      'cdktf with telemetry',
      bad("env:\n  CHECKPOINT_DISABLE: '1'\n", ''),
      'bad.yml job deploy: runs cdktf without CHECKPOINT_DISABLE=1',
    ],
  ])('refuses %s', (_, workflow, problems) => {
    expect(workflowProblems(workflow)).toEqual([problems].flat());
  });

  test('a job calling a reusable workflow that assumes a role needs id-token: write itself', () => {
    const called: WorkflowFile = { name: 'called.yml', text: good.replace('on: push', 'on: workflow_call') };
    const caller: WorkflowFile = {
      name: 'caller.yml',
      text: [
        'on: push',
        'permissions: {}',
        'jobs:',
        '  dev:',
        '    uses: ./.github/workflows/called.yml',
        '    permissions:',
        '      contents: read',
      ].join('\n'),
    };
    expect(workflowProblems(caller, [caller, called])).toEqual([
      'caller.yml job dev: assumes a role without id-token: write',
    ]);
  });

  test.each<[string, string, string, string]>([
    ['an unknown key', 'environment: dev', 'environmnt: dev', "Unexpected value 'environmnt'"],
    ['an unknown permission scope', 'id-token: write', 'id-tokens: write', "Unexpected value 'id-tokens'"],
    [
      'a context not available there',
      'runs-on: ubuntu-24.04',
      'runs-on: ${{ steps.pick.outputs.runner }}',
      "Unrecognized named-value: 'steps'",
    ],
  ])('GitHub’s parser refuses %s', async (_, from, to, error) => {
    const errors = await parserErrors(bad(from, to));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^bad\.yml \(Line: \d+, Col: \d+\): /);
    expect(errors[0].endsWith(`): ${error}`)).toBe(true);
  });
});
