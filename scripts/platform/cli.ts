/**
 * The platform's commands for the environment named by CART_ENV (default dev):
 *
 *   npm run bootstrap                        the state bucket, holding its own state (once; idempotent)
 *   npm run deploy [-- <stack>… [--auto-approve]]  every stack but the state bucket (or those named), in dependency order
 *   npm run diff [-- <stack>…]               plan every stack (or those named); one summary line each
 *   npm run destroy [-- <stack>…]            every stack but the state bucket (or those named), dependants first
 *   npm run retire -- --confirm <env>        the whole environment, protections lifted, state bucket last
 *
 * Arguments starting with `--` (other than --confirm) go to cdktf as they are.
 */
import { GuardrailError } from '../../modules/guardrails';
import { ConfigError } from '../../stacks/config/schema';
import { bootstrap } from './bootstrap';
import { deploy, destroy, diff } from './commands';
import { retire } from './retire';
import { CommandError } from './run';
import { commandSettings } from './settings';

const COMMANDS = ['bootstrap', 'deploy', 'diff', 'destroy', 'retire'] as const;

function split(args: readonly string[]): { stacks: string[]; flags: string[]; confirm?: string } {
  const stacks: string[] = [];
  const flags: string[] = [];
  let confirm: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--confirm') confirm = args[++i];
    else if (arg.startsWith('--confirm=')) confirm = arg.slice('--confirm='.length);
    else if (arg.startsWith('-')) flags.push(arg);
    else stacks.push(arg);
  }
  return { stacks, flags, confirm };
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!(COMMANDS as readonly string[]).includes(command ?? '')) {
    console.error(`usage: tsx scripts/platform/cli.ts <${COMMANDS.join('|')}> [stack…] [--flags]`);
    return 2;
  }
  const settings = commandSettings(process.env);
  const { stacks, flags, confirm } = split(rest);
  switch (command as (typeof COMMANDS)[number]) {
    case 'bootstrap':
      await bootstrap(settings);
      return 0;
    case 'deploy':
      await deploy(settings, stacks, flags);
      return 0;
    case 'diff':
      return (await diff(settings, stacks, flags)) ? 0 : 1;
    case 'destroy':
      await destroy(settings, stacks, flags);
      return 0;
    case 'retire':
      await retire(settings, confirm);
      return 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // The user's to fix: the message, not a stack trace.
    if (error instanceof ConfigError || error instanceof GuardrailError || error instanceof CommandError) {
      console.error(`error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  },
);
