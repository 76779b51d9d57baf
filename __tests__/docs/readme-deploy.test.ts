/**
 * The README's deployment section cannot drift: its account-settings table is the list in
 * stacks/config/settings.ts, and its runbook block parses into the commands the integration test runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ACCOUNT_SETTINGS } from '../../stacks/config/settings';
import { isTeardown, runbookCommands } from '../integration/harness/runbook';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The rows of the table between `<!-- settings:start -->` and `<!-- settings:end -->`, as cells. */
function settingsRows(markdown: string): string[][] {
  const start = markdown.indexOf('<!-- settings:start -->');
  const end = markdown.indexOf('<!-- settings:end -->');
  expect(start, 'settings markers').toBeGreaterThanOrEqual(0);
  expect(end, 'settings markers').toBeGreaterThan(start);
  return markdown
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2) // header and separator
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

describe('README: account settings', () => {
  test('one row per setting, in the order of ACCOUNT_SETTINGS: variable, meaning, required in', () => {
    const documented = settingsRows(README).map(([variable, meaning, required]) => ({
      variable,
      meaning,
      required,
    }));
    expect(documented).toEqual(
      Object.values(ACCOUNT_SETTINGS).map((s) => ({
        variable: `\`${s.variable}\``,
        meaning: s.description,
        required: s.requiredIn.length > 0 ? s.requiredIn.join(', ') : '—',
      })),
    );
  });

  test('every row says what happens without the setting', () => {
    for (const [variable, , , fallback] of settingsRows(README))
      expect(fallback?.length, `${variable}: default`).toBeGreaterThan(0);
  });
});

describe('README: the runbook block', () => {
  const commands = runbookCommands(README).map((c) => c.command);

  test('bootstraps first, retires last, and every step is an npm script with a comment', () => {
    expect(commands[0]).toBe('npm run bootstrap');
    expect(commands.at(-1)).toBe('npm run retire -- --confirm "$CART_ENV"');
    for (const command of commands)
      expect(command).toMatch(/^npm run (bootstrap|deploy|diff|destroy|retire)\b/);
    for (const { command, comment } of runbookCommands(README)) expect(comment, command).not.toBe('');
  });

  test('teardown comes after everything else (the test deploys a second environment in between)', () => {
    const firstTeardown = commands.findIndex(isTeardown);
    expect(firstTeardown).toBeGreaterThan(0);
    expect(commands.slice(firstTeardown).every(isTeardown)).toBe(true);
    expect(commands.slice(0, firstTeardown)).toContain('npm run diff');
  });
});

describe('runbookCommands', () => {
  const block = (body: string) =>
    `x\n<!-- runbook:deploy -->\n\n\`\`\`sh\n${body}\n\`\`\`\n\n<!-- /runbook:deploy -->\n`;

  test('the commands character for character, with the comments above them', () => {
    expect(runbookCommands(block('# 1. first\n#    still first\nnpm run a -- "$X"\n\nnpm run b'))).toEqual([
      { command: 'npm run a -- "$X"', comment: '1. first still first' },
      { command: 'npm run b', comment: '' },
    ]);
  });

  test.each([
    ['no marker', 'just text', 'the README has no <!-- runbook:deploy --> marker'],
    [
      'two markers',
      `${block('npm run a')}${block('npm run b')}`,
      'more than one <!-- runbook:deploy --> marker',
    ],
    [
      'no end marker',
      '<!-- runbook:deploy -->\n```sh\nnpm run a\n```\n',
      'no <!-- /runbook:deploy --> marker',
    ],
    [
      'no sh block',
      '<!-- runbook:deploy -->\n```bash\nnpm run a\n```\n<!-- /runbook:deploy -->',
      'no ```sh block',
    ],
    ['two blocks', block('npm run a\n```\n```sh\nnpm run b'), 'more than one code block'],
    ['a continued line', block('npm run a \\\n  --flag'), 'continues on the next line: npm run a \\'],
    ['only comments', block('# nothing to run'), 'the runbook block holds no command'],
  ])('%s: refused', (_, markdown, message) => {
    expect(() => runbookCommands(markdown)).toThrow(message);
  });
});
