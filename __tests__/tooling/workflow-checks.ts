/**
 * The project's own rules for GitHub Actions workflows, beyond what the schema (@actions/workflow-parser) checks:
 * supply-chain pinning, least-privilege tokens, serialized deploys. Pure functions over the workflow files' text,
 * so that a small bad example can prove each rule fails.
 */
import { parse } from 'yaml';

export interface WorkflowFile {
  /** File name under .github/workflows/. */
  readonly name: string;
  readonly text: string;
}

type Permissions = string | Readonly<Record<string, string>> | undefined;

interface Step {
  readonly uses?: string;
  readonly run?: string;
}

interface Job {
  readonly permissions?: Permissions;
  readonly environment?: unknown;
  readonly concurrency?: string | { readonly group?: string; readonly 'cancel-in-progress'?: unknown };
  readonly env?: Readonly<Record<string, unknown>>;
  readonly steps?: readonly Step[];
  /** A reusable workflow (`./.github/workflows/x.yml`) instead of steps. */
  readonly uses?: string;
}

interface Workflow {
  readonly permissions?: Permissions;
  readonly env?: Readonly<Record<string, unknown>>;
  readonly jobs?: Readonly<Record<string, Job>>;
}

const SHA = /^[0-9a-f]{40}$/;
const VERSION_COMMENT = /^v\d+\.\d+\.\d+$/;
const ASSUME_ROLE_ACTION = 'aws-actions/configure-aws-credentials@';

export function parseWorkflowYaml(file: WorkflowFile): Workflow {
  return (parse(file.text) ?? {}) as Workflow;
}

/**
 * Every `uses:` of an action outside this repository is pinned to a full commit SHA (a tag can be moved to other
 * code; a SHA cannot), with a `# vX.Y.Z` comment saying which release that SHA is; a `docker://` image by digest.
 */
export function pinningProblems(file: WorkflowFile): string[] {
  return file.text.split('\n').flatMap((line, index) => {
    const match = /^\s*(?:-\s+)?uses:\s*['"]?([^\s'"#]+)['"]?\s*(?:#\s*(.*?))?\s*$/.exec(line);
    if (!match) return [];
    const [, uses, comment] = match;
    const where = `${file.name}:${index + 1}: ${uses}`;
    if (uses.startsWith('./')) return [];
    if (uses.startsWith('docker://'))
      return /@sha256:[0-9a-f]{64}$/.test(uses) ? [] : [`${where} is not pinned to an image digest`];
    const ref = uses.split('@')[1] ?? '';
    if (!SHA.test(ref)) return [`${where} is not pinned to a full commit SHA`];
    if (comment === undefined || !VERSION_COMMENT.test(comment))
      return [`${where} has no "# vX.Y.Z" comment naming the release`];
    return [];
  });
}

const grants = (permissions: Permissions, scope: string, level: string): boolean =>
  permissions === `${level}-all` || (typeof permissions === 'object' && permissions[scope] === level);

const assumesRole = (job: Job): boolean =>
  (job.steps ?? []).some((step) => step.uses?.startsWith(ASSUME_ROLE_ACTION) === true);

/** The reusable workflow a job calls, when it is one of `files`. */
function calledWorkflow(job: Job, files: readonly WorkflowFile[]): Workflow | undefined {
  const name = job.uses?.startsWith('./.github/workflows/') ? job.uses.split('/').pop() : undefined;
  const file = files.find((f) => f.name === name);
  return file && parseWorkflowYaml(file);
}

/**
 * `permissions` at the top level and on every job (nothing inherits the repository's default token scope);
 * never `write-all`; `id-token: write` (an OIDC token, i.e. cloud credentials) only on a job that assumes a role
 * — itself, or through the reusable workflow it calls — and on every job that does.
 */
export function permissionProblems(file: WorkflowFile, files: readonly WorkflowFile[]): string[] {
  const workflow = parseWorkflowYaml(file);
  const problems: string[] = [];
  if (workflow.permissions === undefined) problems.push(`${file.name}: no top-level permissions`);
  if (grants(workflow.permissions, 'id-token', 'write'))
    problems.push(`${file.name}: id-token: write at the top level (grant it to the jobs that assume a role)`);
  for (const [id, job] of Object.entries(workflow.jobs ?? {})) {
    const where = `${file.name} job ${id}`;
    if (job.permissions === undefined) problems.push(`${where}: no permissions`);
    if (job.permissions === 'write-all') problems.push(`${where}: write-all permissions`);
    const called = calledWorkflow(job, files);
    const needsOidc =
      assumesRole(job) ||
      Object.values(called?.jobs ?? {}).some((inner) => grants(inner.permissions, 'id-token', 'write'));
    const hasOidc = grants(job.permissions, 'id-token', 'write');
    if (hasOidc && !needsOidc) problems.push(`${where}: id-token: write but assumes no role`);
    if (needsOidc && !hasOidc) problems.push(`${where}: assumes a role without id-token: write`);
  }
  return problems;
}

const deploys = (job: Job): boolean =>
  job.environment !== undefined || (job.steps ?? []).some((step) => /\bcdktf deploy\b/.test(step.run ?? ''));

/**
 * A job that deploys (it targets a GitHub environment or runs `cdktf deploy`) carries a concurrency group named
 * after the environment, so that two deploys of one environment never overlap, and queues instead of cancelling
 * (a cancelled apply can leave a state lock and half-applied changes behind).
 */
export function concurrencyProblems(file: WorkflowFile): string[] {
  return Object.entries(parseWorkflowYaml(file).jobs ?? {}).flatMap(([id, job]) => {
    if (!deploys(job)) return [];
    const where = `${file.name} job ${id}`;
    const concurrency = typeof job.concurrency === 'string' ? { group: job.concurrency } : job.concurrency;
    if (!concurrency?.group) return [`${where}: deploys without a concurrency group`];
    const environment = typeof job.environment === 'string' ? job.environment : undefined;
    if (environment !== undefined && !concurrency.group.includes(environment))
      return [
        `${where}: concurrency group "${concurrency.group}" does not name the environment ${environment}`,
      ];
    if (concurrency['cancel-in-progress'] !== false)
      return [`${where}: a deploy must queue, not cancel (cancel-in-progress: false)`];
    return [];
  });
}

/** Every job that runs the cdktf CLI or the app sets CHECKPOINT_DISABLE=1 (no telemetry calls from CI). */
export function checkpointProblems(file: WorkflowFile): string[] {
  const workflow = parseWorkflowYaml(file);
  return Object.entries(workflow.jobs ?? {}).flatMap(([id, job]) => {
    const runsCdktf = (job.steps ?? []).some((step) => /\bcdktf\b|npm run synth/.test(step.run ?? ''));
    const disabled = String(job.env?.CHECKPOINT_DISABLE ?? workflow.env?.CHECKPOINT_DISABLE) === '1';
    return runsCdktf && !disabled ? [`${file.name} job ${id}: runs cdktf without CHECKPOINT_DISABLE=1`] : [];
  });
}

/** Every rule above, for one file among `files` (the set its reusable-workflow calls are looked up in). */
export function workflowProblems(file: WorkflowFile, files: readonly WorkflowFile[] = [file]): string[] {
  return [
    ...pinningProblems(file),
    ...permissionProblems(file, files),
    ...concurrencyProblems(file),
    ...checkpointProblems(file),
  ];
}
