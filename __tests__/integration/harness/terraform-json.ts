/** Terraform's machine-readable UI (`-json`): one JSON object per line. */

export interface TerraformEvent {
  readonly type: string;
  readonly '@level'?: string;
  readonly '@message'?: string;
  readonly changes?: { add: number; change: number; remove: number; import?: number; operation: string };
  readonly change?: { resource: { addr: string }; action: string; reason?: string };
  readonly hook?: { resource: { addr: string }; action?: string };
  readonly diagnostic?: { severity: string; summary: string; detail?: string; address?: string };
}

/** Parses `-json` output; lines that are not JSON are ignored. */
export function terraformEvents(stdout: string): TerraformEvent[] {
  return stdout.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as TerraformEvent];
    } catch {
      return [];
    }
  });
}

/** The `change_summary` of a plan, apply or destroy. */
export function changeSummary(
  events: readonly TerraformEvent[],
): NonNullable<TerraformEvent['changes']> | undefined {
  return events.filter((e) => e.type === 'change_summary').at(-1)?.changes;
}

/** `addr: action` for each planned change (what a plan that should be empty wants to do). */
export function plannedChanges(events: readonly TerraformEvent[]): string[] {
  return events
    .filter((e) => e.type === 'planned_change' && e.change)
    .map(
      (e) =>
        `${e.change?.resource.addr}: ${e.change?.action}${e.change?.reason ? ` (${e.change.reason})` : ''}`,
    );
}

/** Managed resource addresses whose apply (or destroy) completed (data source reads are not counted). */
export function completedResources(events: readonly TerraformEvent[]): string[] {
  return events
    .filter((e) => e.type === 'apply_complete' && e.hook && e.hook.action !== 'read')
    .map((e) => e.hook?.resource.addr ?? '')
    .filter((address) => !/(^|\.)data\./.test(address));
}

/** Error diagnostics, as `summary: detail (address)`. */
export function errors(events: readonly TerraformEvent[]): string[] {
  return events
    .filter((e) => e.type === 'diagnostic' && e.diagnostic?.severity === 'error')
    .map((e) => {
      const d = e.diagnostic;
      return `${d?.summary}${d?.detail ? `: ${d.detail}` : ''}${d?.address ? ` (${d.address})` : ''}`;
    });
}
