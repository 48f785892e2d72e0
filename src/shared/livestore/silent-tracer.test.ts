/**
 * The silent OpenTelemetry of LiveStore's stores: spans carry no ids worth drawing, and the context that Effect's
 * tracer makes for every fiber step is the one silent object, not a new copy each time.
 */
import { provideOtel } from '@livestore/common'
import { Effect } from '@livestore/utils/effect'
import { context, trace } from '@opentelemetry/api'
import { describe, expect, it } from 'vitest'
import { SILENT_CONTEXT, SILENT_SPAN, silentOtel, silentTracer } from './silent-tracer'

describe('silent OpenTelemetry', () => {
  it('registers the silent context: it is the active one, stays itself when a span is set, keeps the silent span, and runs what it is given', () => {
    silentOtel()
    const span = silentTracer.startSpan('edit')
    expect(context.active()).toBe(SILENT_CONTEXT)
    expect(trace.setSpan(context.active(), span)).toBe(SILENT_CONTEXT)
    // LiveStore links its commits to the span it keeps in a context: there is always one, the silent span.
    expect(trace.getSpanContext(trace.setSpan(context.active(), span))).toEqual(SILENT_SPAN.spanContext())
    expect(trace.getSpan(SILENT_CONTEXT)).toBe(SILENT_SPAN)
    expect(trace.deleteSpan(SILENT_CONTEXT)).toBe(SILENT_CONTEXT)
    // The registered manager's own `with` (the checks above prove it is the one registered): receiver and arguments.
    const receiver = { base: 40 }
    const sum = context.with(
      SILENT_CONTEXT,
      function (this: typeof receiver, a: number, b: number) {
        return this.base + a + b
      },
      receiver,
      1,
      1,
    )
    expect(sum).toBe(42)
  })

  it("is the context inside LiveStore's traced effects, across their fibers' steps", async () => {
    const otelOptions = silentOtel()
    const seen = await Effect.gen(function* () {
      const before = context.active()
      yield* Effect.yieldNow()
      const after = yield* Effect.sync(() => context.active()).pipe(Effect.withSpan('inner'))
      return [before, after]
    }).pipe(Effect.withSpan('outer'), provideOtel({ otelTracer: otelOptions.tracer }), Effect.runPromise)
    expect(seen).toHaveLength(2)
    expect(seen.every((active) => active === SILENT_CONTEXT)).toBe(true)
  })
})
