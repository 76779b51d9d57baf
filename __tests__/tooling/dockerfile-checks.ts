/**
 * The cart image's rules, checked on service/Dockerfile's text (no Docker here): a pinned Node 22 base, the
 * build → deps → runtime stages, only the service workspace in the context and in every install, a non-root
 * numeric user. Pure functions, so that a small bad Dockerfile can prove each rule fails.
 */

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, ... */
  readonly keyword: string;
  /** The arguments, continuation lines joined. */
  readonly args: string;
  /** 1-based line of the keyword. */
  readonly line: number;
}

/** Instructions in order; comments and blank lines dropped, `\` continuations joined. */
export function dockerInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { keyword: string; parts: string[]; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const continued = line.endsWith('\\');
    const body = continued ? line.slice(0, -1).trim() : line;
    if (pending) pending.parts.push(body);
    else {
      const [keyword, ...rest] = body.split(/\s+/);
      pending = { keyword: keyword.toUpperCase(), parts: [rest.join(' ')], line: index + 1 };
    }
    if (!continued) {
      instructions.push({
        keyword: pending.keyword,
        args: pending.parts.join(' ').trim(),
        line: pending.line,
      });
      pending = undefined;
    }
  });
  return instructions;
}

export interface ImageRules {
  /** The uid and gid the runtime runs as (CONTAINER_USER_ID). */
  readonly userId: number;
  /** The port the service listens on (DEFAULT_PORT). */
  readonly port: number;
}

/** An exact Node 22 release on a named OS, optionally with its digest: `node:22.23.2-alpine3.24[@sha256:…]`. */
const PINNED_NODE_22 =
  /^node:22\.\d+\.\d+-(alpine3\.\d+|bookworm-slim|bookworm|trixie-slim)(@sha256:[0-9a-f]{64})?$/;
/** What the image may take from the repository-root context: the root manifests and the service workspace. */
const CONTEXT_ALLOWED = (path: string) =>
  path === 'package.json' || path === 'package-lock.json' || path.startsWith('service/');
const STAGES = ['build', 'deps', 'runtime'];

function baseImageProblems(instructions: readonly Instruction[]): string[] {
  const args = new Map(
    instructions
      .filter((i) => i.keyword === 'ARG' && i.args.includes('='))
      .map((i) => [i.args.slice(0, i.args.indexOf('=')), i.args.slice(i.args.indexOf('=') + 1)]),
  );
  // Each distinct base image once, at the first FROM that uses it.
  const images = new Map<string, number>();
  for (const from of instructions.filter((i) => i.keyword === 'FROM')) {
    const image = from.args
      .split(/\s+/)[0]
      .replace(/^\$\{(\w+)\}$/, (_, name: string) => args.get(name) ?? '');
    if (!images.has(image)) images.set(image, from.line);
  }
  return [...images]
    .filter(([image]) => !PINNED_NODE_22.test(image))
    .map(
      ([image, line]) =>
        `line ${line}: base image "${image}" is not an exact Node 22 release (node:22.x.y-<os>)`,
    );
}

function stageProblems(instructions: readonly Instruction[]): string[] {
  const stages = instructions
    .filter((i) => i.keyword === 'FROM')
    .map((i) => /\bAS\s+(\S+)$/i.exec(i.args)?.[1] ?? '(unnamed)');
  return stages.join() === STAGES.join()
    ? []
    : [`stages ${stages.join(', ')}: expected ${STAGES.join(', ')} (the last one is the image)`];
}

function contextProblems(instructions: readonly Instruction[]): string[] {
  return instructions
    .filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !/--from=/.test(i.args))
    .flatMap((copy) => {
      const paths = copy.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      return paths
        .slice(0, -1)
        .filter((source) => !CONTEXT_ALLOWED(source))
        .map(
          (source) => `line ${copy.line}: ${copy.keyword} of "${source}" is outside the service workspace`,
        );
    });
}

function installProblems(instructions: readonly Instruction[]): string[] {
  let stage = '';
  return instructions.flatMap((i) => {
    if (i.keyword === 'FROM') stage = /\bAS\s+(\S+)$/i.exec(i.args)?.[1] ?? '';
    if (i.keyword !== 'RUN') return [];
    const problems: string[] = [];
    if (/\bnpm (install|i)\b/.test(i.args))
      problems.push(`line ${i.line}: npm install (use npm ci: the lockfile, exactly)`);
    for (const [command] of i.args.matchAll(/\bnpm ci\b[^&;|]*/g)) {
      if (!/(--workspace|-w)[ =]service\b/.test(command))
        problems.push(`line ${i.line}: "${command.trim()}" installs more than the service workspace`);
      if (stage === 'deps' && !/--omit=dev\b/.test(command))
        problems.push(`line ${i.line}: the deps stage installs devDependencies (add --omit=dev)`);
    }
    return problems;
  });
}

function runtimeProblems(instructions: readonly Instruction[], rules: ImageRules): string[] {
  const lastFrom = instructions.map((i) => i.keyword).lastIndexOf('FROM');
  const runtime = instructions.slice(lastFrom);
  const last = (keyword: string) => runtime.filter((i) => i.keyword === keyword).pop()?.args;
  const problems: string[] = [];
  const user = `${rules.userId}:${rules.userId}`;
  if (last('USER') !== user)
    problems.push(`the runtime stage runs as "${last('USER') ?? 'root'}", expected ${user}`);
  if (last('EXPOSE') !== String(rules.port))
    problems.push(`the runtime stage exposes ${last('EXPOSE')}, expected ${rules.port}`);
  if (!last('CMD')?.startsWith('['))
    problems.push('CMD is not in exec form: node would not be PID 1 and get SIGTERM');
  return problems;
}

/** Every rule above; empty for a good Dockerfile. */
export function dockerfileProblems(text: string, rules: ImageRules): string[] {
  const instructions = dockerInstructions(text);
  return [
    ...baseImageProblems(instructions),
    ...stageProblems(instructions),
    ...contextProblems(instructions),
    ...installProblems(instructions),
    ...runtimeProblems(instructions, rules),
  ];
}

/** The ignore file is an allow-list (`*`, then `!` exceptions) of paths the image may read, and nothing else. */
export function dockerignoreProblems(text: string): string[] {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const problems = lines[0] === '*' ? [] : ['the ignore file does not start with "*" (an allow-list)'];
  return [
    ...problems,
    ...lines
      .filter((l) => l.startsWith('!') && !CONTEXT_ALLOWED(l.slice(1)))
      .map((l) => `the ignore file lets "${l.slice(1)}" into the context`),
  ];
}
