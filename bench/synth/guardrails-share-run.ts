/**
 * One synth of the platform in this process, as `npm run synth` does it, printing how long the guardrails pass
 * took against the whole: `node --import tsx bench/synth/guardrails-share-run.ts <environment> <outdir>`.
 */
import { performance } from 'node:perf_hooks';
import { App } from 'cdktf';
import { Guardrails } from '../../modules/guardrails';
import { environmentConfig } from '../../stacks/config/environments';
import { buildPlatform } from '../../stacks/platform-app';

const [environment = 'dev', outdir = 'cdktf.out'] = process.argv.slice(2);
const started = performance.now();
const app = new App({ outdir });
buildPlatform(app, environmentConfig(environment));
app.synth();
const report = Guardrails.reportOf(app);
if (report === undefined) throw new Error('the guardrails did not run');
console.log(
  JSON.stringify({
    passMs: report.timing.totalMs,
    renderMs: report.timing.renderMs,
    buildSynthMs: performance.now() - started,
    processMs: performance.now(),
  }),
);
