/**
 * The app of an environment with configuration overrides, synthesized as main.ts does it (guardrails first):
 * `node --import tsx synth-overrides.ts <environment> <outdir> '<overrides JSON>'`. For configurations no
 * environment variable expresses (the emulator with three team instances).
 */
import { App } from 'cdktf';
import { environmentConfig } from '../../../stacks/config/environments';
import type { EnvironmentOverrides } from '../../../stacks/config/schema';
import { buildPlatform } from '../../../stacks/platform-app';

const [environment = 'emulator', outdir = 'cdktf.out', overrides = '{}'] = process.argv.slice(2);
const app = new App({ outdir });
buildPlatform(app, environmentConfig(environment, JSON.parse(overrides) as EnvironmentOverrides));
app.synth();
