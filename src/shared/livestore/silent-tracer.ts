/**
 * OpenTelemetry for LiveStore in a process that keeps no traces: Chronicle exports none, so every span shares one
 * context, and nothing is allocated to carry it.
 * - The tracer: LiveStore's default no-op tracer gives every span a fresh trace and span id (two random ids, and in
 *   Node a hostname lookup, per span), and LiveStore makes several spans per event: a twentieth of the main
 *   process's CPU time while bridging went there (profiled). LiveStore still reads its spans' timings, so they are
 *   LiveStore's own no-op spans.
 * - The context: Effect's OpenTelemetry tracer, which LiveStore installs, puts the current span into a new
 *   OpenTelemetry context each time a fiber runs (the API's contexts are immutable maps, copied on every change).
 *   With no context manager registered that context is thrown away at once, yet in the main process it made a third
 *   of all it allocated while applying single edits at large size (sampled: 56 of 168 MiB over 20 edits). The
 *   silent context is one object that stays itself whatever is set in it, and whose span is always the one silent
 *   span (LiveStore reads the span of contexts it made, and every span here is as silent as another).
 */
import { makeNoopSpan } from '@livestore/utils'
import {
  context as otelContext,
  trace,
  type Context,
  type ContextManager,
  type Span,
  type SpanContext,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api'

const SILENT_SPAN_CONTEXT: SpanContext = { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }

const silentSpan = (): Span => Object.assign(makeNoopSpan(), { spanContext: () => SILENT_SPAN_CONTEXT })

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

/** The span every silent context holds. */
export const SILENT_SPAN: Span = silentSpan()

/** The key under which the API keeps a context's span, which it does not export: learnt by setting a span. */
const SPAN_KEY = ((): symbol | undefined => {
  let key: symbol | undefined
  const probe: Context = {
    getValue: () => undefined,
    setValue: (setKey) => {
      key = setKey
      return probe
    },
    deleteValue: () => probe,
  }
  trace.setSpan(probe, SILENT_SPAN)
  return key
})()

/** Holds the silent span and nothing else: setting a value in it gives it back unchanged. */
export const SILENT_CONTEXT: Context = {
  getValue: (key) => (key === SPAN_KEY ? SILENT_SPAN : undefined),
  setValue: () => SILENT_CONTEXT,
  deleteValue: () => SILENT_CONTEXT,
}

const silentContextManager: ContextManager = {
  active: () => SILENT_CONTEXT,
  with: (_context, fn, thisArg, ...args) => fn.call(thisArg, ...args),
  bind: (_context, target) => target,
  enable() {
    return this
  },
  disable() {
    return this
  },
}

/**
 * LiveStore's `otelOptions` for this process: the silent tracer, with the silent context made the process's
 * OpenTelemetry context (once; a manager registered before is kept, as the API does).
 */
export function silentOtel(): { readonly tracer: Tracer } {
  otelContext.setGlobalContextManager(silentContextManager)
  return { tracer: silentTracer }
}
