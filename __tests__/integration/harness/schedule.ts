/**
 * Runs one task per stack in dependency order, at most `concurrency` at a time (the machine has two cores and
 * each Terraform command spends most of its time starting the aws provider, so two at once nearly halves the
 * wall time). A task whose prerequisite failed is not started.
 */

export interface ScheduleResult {
  readonly failed: ReadonlyMap<string, Error>;
  /** Not started because a prerequisite failed. */
  readonly blocked: readonly string[];
}

/**
 * `prerequisites(id)` lists the ids that must have succeeded before `id` starts (ids not in `ids` are ignored).
 */
export async function runScheduled(
  ids: readonly string[],
  prerequisites: (id: string) => readonly string[],
  concurrency: number,
  task: (id: string) => Promise<void>,
): Promise<ScheduleResult> {
  const wanted = new Set(ids);
  const done = new Set<string>();
  const failed = new Map<string, Error>();
  const blocked: string[] = [];
  const pending = [...ids];
  const running = new Map<string, Promise<void>>();

  while (pending.length > 0 || running.size > 0) {
    for (let i = 0; i < pending.length && running.size < concurrency;) {
      const id = pending[i];
      const before = prerequisites(id).filter((p) => wanted.has(p));
      if (before.some((p) => failed.has(p) || blocked.includes(p))) {
        blocked.push(id);
        pending.splice(i, 1);
      } else if (before.every((p) => done.has(p))) {
        pending.splice(i, 1);
        running.set(
          id,
          task(id).then(
            () => {
              done.add(id);
              running.delete(id);
            },
            (error: unknown) => {
              failed.set(id, error instanceof Error ? error : new Error(String(error)));
              running.delete(id);
            },
          ),
        );
      } else {
        i++;
      }
    }
    if (running.size === 0) {
      if (pending.length > 0) throw new Error(`unsatisfiable prerequisites for ${pending.join(', ')}`);
      break;
    }
    await Promise.race(running.values());
  }
  return { failed, blocked };
}
