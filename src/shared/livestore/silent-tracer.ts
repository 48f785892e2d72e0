/**
 * A tracer for LiveStore that records nothing, cheaply. LiveStore's default no-op tracer gives every span a fresh
 * trace and span id (two random ids, and in Node a hostname lookup, per span), and LiveStore makes several spans
 * per event: a twentieth of the main process's CPU time while bridging went there (profiled). Chronicle exports no traces, so every
 * span shares one context. LiveStore still reads its spans' timings, so they are LiveStore's own no-op spans.
 */
import { makeNoopSpan } from '@livestore/utils'
import type { Context, Span, SpanContext, SpanOptions, Tracer } from '@opentelemetry/api'

const SILENT_CONTEXT: SpanContext = { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }

const silentSpan = (): Span => Object.assign(makeNoopSpan(), { spanContext: () => SILENT_CONTEXT })

type ActiveSpanCallback<T> = (span: Span) => T

export const silentTracer: Tracer = {
  startSpan: silentSpan,
  // The callback comes last, after optional options and context (OpenTelemetry's overloads).
  startActiveSpan<F extends ActiveSpanCallback<unknown>>(
    _name: string,
    ...rest: [F] | [SpanOptions, F] | [SpanOptions, Context, F]
  ): ReturnType<F> {
    const callback = rest.at(-1) as F
    return callback(silentSpan()) as ReturnType<F>
  },
}
