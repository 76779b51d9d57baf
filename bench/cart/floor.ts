/** Drives the long-lived SDK floor process (sdk-floor.ts) from the orchestrator, one run at a time. */
import { join } from 'node:path';
import { spawnTracked, waitForLine } from '../lib/proc';
import type { Sample } from './load-result';
import type { FloorOptions, FloorRun } from './sdk-floor';

export interface Floor {
  run(request: FloorRun): Promise<Sample>;
  /** Closes its stdin (it then exits); killed if it has not after a few seconds. */
  stop(): Promise<void>;
}

export function startFloor(options: FloorOptions): Floor {
  const proc = spawnTracked(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'sdk-floor.ts'), JSON.stringify(options)],
    { cwd: join(__dirname, '..', '..'), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  return {
    async run(request) {
      // Listen before asking, so the answer cannot slip past.
      const answer = waitForLine(
        proc,
        /^(\{"latenciesMs".*\})\n/m,
        request.warmupMs + request.durationMs + 60_000,
      );
      proc.child.stdin?.write(`${JSON.stringify(request)}\n`);
      const [, line] = await answer;
      return JSON.parse(line) as Sample;
    },
    async stop() {
      proc.child.stdin?.end();
      await proc.stop(5_000);
    },
  };
}
