import { context, trace, type Context } from '@opentelemetry/api';

/**
 * The active span's ids for a log line (pino `mixin`), under the names the OpenTelemetry log data model and
 * CloudWatch use, so a log line leads to its trace and back. Empty outside a span. Always a new object: pino
 * merges the line's own fields into it.
 */
export function traceLogFields(ctx: Context = context.active()): Record<string, string> {
  const span = trace.getSpanContext(ctx);
  if (!span) return {};
  return { trace_id: span.traceId, span_id: span.spanId, trace_flags: span.traceFlags === 1 ? '01' : '00' };
}
