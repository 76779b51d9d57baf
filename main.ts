/**
 * The cdktf app: builds every stack of the environment named by CART_ENV (dev, prod, local; default dev).
 * `npm run synth` or `npx cdktf synth` writes cdktf.out/stacks/<stack>/cdk.tf.json.
 */
import { App } from 'cdktf';
import { ConfigError } from './stacks/config';
import { environmentFromVariables } from './stacks/environments';
import { buildPlatform } from './stacks/platform-app';

try {
  const config = environmentFromVariables(process.env);
  const app = new App();
  buildPlatform(app, config);
  app.synth();
} catch (error) {
  // A configuration or guardrail problem is the user's to fix: print the message, not a stack trace.
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
