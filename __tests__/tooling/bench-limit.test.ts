import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const LIMIT = join(ROOT, 'bench', 'cart', 'limit.ts');

// The run itself takes minutes (README, Performance); its options are refused before anything starts.
test.each([
  ['--iterations=0', '--iterations=0: expected a whole number of at least 1'],
  ['--seconds=2.5', '--seconds=2.5: expected a whole number of at least 1'],
  ['--rate=fast', '--rate=fast: expected a whole number of at least 1'],
  ['--storage=redis', '--storage=redis: expected one of dynamodb, memory'],
  [
    '--before=HEAD --before-env=log_level=warn',
    '--before-env=log_level=warn: expected NAME=value with an upper-case NAME, e.g. --before-env=LOG_LEVEL=warn',
  ],
  [
    '--before-env=LOG_LEVEL=warn',
    '--before-env: sets variables of the --before side; add --before=<git ref> (HEAD prices a setting of the current code)',
  ],
  [
    '--core --storage=memory',
    "--core: the service's core is measured on DynamoDB only; leave out --storage=memory",
  ],
])('bench/cart/limit.ts %s: exit 2, the option named, no stack trace', (args, message) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', LIMIT, ...args.split(' ')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status).toBe(2);
  expect(run.stderr.trim()).toBe(message);
});
