/**
 * One synth of the platform with N team instances (`cart.instances`), in this process, as `npm run synth` does it:
 * `node --import tsx bench/synth/instances-run.ts <count> <outdir> [environment] [roleMode]`. Prints the pass's
 * and the in-process times and the process's peak RSS as one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { App } from 'cdktf';
import { Guardrails } from '../../modules/guardrails';
import { environmentConfig } from '../../stacks/config/environments';
import { buildPlatform } from '../../stacks/platform-app';

const [count = '1', outdir = 'cdktf.out', environment = 'dev', roleMode = 'shared'] = process.argv.slice(2);
const instances = Array.from({ length: Number(count) }, (_, i) => ({ name: `team-${i + 1}` }));
// The NodePool grows with the teams, as a platform team would size it: each instance's autoscaler may reach 10
// pods of 250m / 512Mi (dev), and the capacity guardrail (CART015) refuses maxima beyond 80% of the pool's limits.
const cpuLimit = String(Math.max(16, 4 * instances.length));
const memoryLimit = `${Math.max(64, 8 * instances.length)}Gi`;
const started = performance.now();
const app = new App({ outdir });
buildPlatform(
  app,
  environmentConfig(environment, {
    cart: { instances, roleMode: roleMode as 'shared' | 'per-instance' },
    addons: { karpenter: { cpuLimit, memoryLimit } },
  }),
);
app.synth();
const report = Guardrails.reportOf(app);
if (report === undefined) throw new Error('the guardrails did not run');
console.log(
  JSON.stringify({
    instances: instances.length,
    passMs: report.timing.totalMs,
    buildSynthMs: performance.now() - started,
    // resourceUsage().maxRSS is in KiB: the peak of the whole process, module loading included.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
