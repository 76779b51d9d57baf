/**
 * The cdktf app: builds every stack of the environment named by CART_ENV (dev, prod, local; default dev).
 * `npm run synth` or `npx cdktf synth` writes cdktf.out/stacks/<stack>/cdk.tf.json.
 */
import { App } from 'cdktf';
import { GuardrailError, Guardrails } from './modules/guardrails';
import { ConfigError } from './stacks/config/schema';
import { environmentFromVariables } from './stacks/config/environments';
import { buildPlatform } from './stacks/platform-app';

try {
  const config = environmentFromVariables(process.env);
  const app = new App();
  buildPlatform(app, config);
  // The guardrails run first (and write cdktf.out/guardrails.sarif); warnings and suppressions are printed.
  app.synth();
  for (const line of Guardrails.reportOf(app)?.lines() ?? []) console.error(line);
} catch (error) {
  // A configuration or guardrail problem is the user's to fix: print the message, not a stack trace.
  if (error instanceof ConfigError || error instanceof GuardrailError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
