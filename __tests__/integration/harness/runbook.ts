/**
 * The README's deployment runbook as data: the commands of its one marked ```sh block, exactly as written, so that
 * the integration test runs what a user copies and the documentation cannot drift from what is tested.
 */

export const RUNBOOK_START = '<!-- runbook:deploy -->';
export const RUNBOOK_END = '<!-- /runbook:deploy -->';

/** One line of the block that a user runs (comments and blank lines are not commands). */
export interface RunbookCommand {
  /** The line, character for character. */
  readonly command: string;
  /** The comment lines right above it: what the README says the command does. */
  readonly comment: string;
}

function between(markdown: string, start: string, end: string): string {
  const first = markdown.indexOf(start);
  if (first < 0) throw new Error(`the README has no ${start} marker`);
  if (markdown.indexOf(start, first + start.length) >= 0)
    throw new Error(`the README has more than one ${start} marker`);
  const last = markdown.indexOf(end, first);
  if (last < 0) throw new Error(`the README has no ${end} marker after ${start}`);
  return markdown.slice(first + start.length, last);
}

/** The commands of the marked block, in order. Throws when the block is missing, ambiguous or not a `sh` block. */
export function runbookCommands(markdown: string): RunbookCommand[] {
  const section = between(markdown, RUNBOOK_START, RUNBOOK_END);
  const fence = /^```sh\n([\s\S]*?)^```$/m.exec(section);
  if (fence === null) throw new Error(`no \`\`\`sh block between ${RUNBOOK_START} and ${RUNBOOK_END}`);
  if (section.slice((fence.index ?? 0) + fence[0].length).includes('```'))
    throw new Error(`more than one code block between ${RUNBOOK_START} and ${RUNBOOK_END}`);
  const commands: RunbookCommand[] = [];
  let comment: string[] = [];
  for (const line of fence[1].split('\n')) {
    const text = line.trim();
    if (text === '') continue;
    if (text.startsWith('#')) {
      comment.push(text.replace(/^#\s*/, ''));
      continue;
    }
    // One command per line: the test runs each line on its own, as a user pastes it.
    if (text.endsWith('\\')) throw new Error(`a runbook command continues on the next line: ${text}`);
    commands.push({ command: text, comment: comment.join(' ') });
    comment = [];
  }
  if (commands.length === 0) throw new Error('the runbook block holds no command');
  return commands;
}

/** Commands that take an environment down (`destroy`, `retire`): the test runs them after both are deployed. */
export function isTeardown(command: string): boolean {
  return /^npm run (destroy|retire)\b/.test(command);
}
