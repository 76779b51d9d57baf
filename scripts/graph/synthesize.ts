/** Synthesizes the platform in this process, exactly as main.ts builds it, into a directory of the caller's. */
import { App } from 'cdktf';
import { environmentConfig } from '../../stacks/config/environments';
import { buildPlatform } from '../../stacks/platform-app';
import { readSynthOutput, type SynthOutput } from './synth-output';

/** The environment the README's diagram shows: the default one (`npm run synth` without CART_ENV). */
export const GRAPH_ENVIRONMENT = 'dev';

/** Builds every stack `buildPlatform` makes for the environment, synthesizes them into `outdir` and reads them. */
export function synthesizePlatform(outdir: string, environment = GRAPH_ENVIRONMENT): SynthOutput {
  const app = new App({ outdir, stackTraces: false });
  buildPlatform(app, environmentConfig(environment));
  app.synth();
  return readSynthOutput(outdir);
}
