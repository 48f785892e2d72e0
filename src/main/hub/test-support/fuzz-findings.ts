/**
 * What a fuzz run found, each finding named by the input that was in flight: uncaught exceptions and unhandled
 * rejections in this process (with the stack), and whatever the test itself judged wrong (a stall, a 500, a
 * refused input that was accepted, a process that exited).
 */
export interface Finding {
  readonly input: string
  readonly what: string
}

export interface FuzzFindings {
  /** The input being sent: what an error that fires now is blamed on. */
  sending(label: string): void
  add(what: string, input?: string): void
  /** `crashed` resolves when the next error goes uncaught, unless cancelled first. */
  whenUncaught(): { readonly crashed: Promise<void>; cancel(): void }
  /** How many findings there are, for `dropSince`. */
  mark(): number
  /** Forgets the findings after `mark` (when a replay names the input more precisely). */
  dropSince(mark: number): void
  /** Findings since the last call. */
  take(): Finding[]
  /** Stops listening for uncaught errors. */
  dispose(): void
}

export function recordFindings(): FuzzFindings {
  let current = '(between inputs)'
  let findings: Finding[] = []
  let uncaught = new Set<() => void>()
  const onError = (kind: string) => (error: unknown) => {
    findings.push({
      input: current,
      what: `${kind}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    })
    const waiting = uncaught
    uncaught = new Set()
    for (const wake of waiting) wake()
  }
  const onException = onError('uncaught exception')
  const onRejection = onError('unhandled rejection')
  process.on('uncaughtException', onException)
  process.on('unhandledRejection', onRejection)
  return {
    sending: (label) => void (current = label),
    add: (what, input = current) => void findings.push({ input, what }),
    whenUncaught() {
      let wake = () => {}
      const crashed = new Promise<void>((resolve) => uncaught.add((wake = resolve)))
      return { crashed, cancel: () => void uncaught.delete(wake) }
    },
    mark: () => findings.length,
    dropSince: (mark) => void findings.splice(mark),
    take() {
      const taken = findings
      findings = []
      return taken
    },
    dispose() {
      process.off('uncaughtException', onException)
      process.off('unhandledRejection', onRejection)
    },
  }
}

/** One line per finding, the stack cut to where it left the hub's code, for the test's failure message. */
export const describeFindings = (findings: readonly Finding[], seed: number): string =>
  `seed ${seed} (replay: CHRONICLE_FUZZ_SEED=${seed})\n` +
  findings.map((f) => `- ${f.input}: ${f.what.split('\n').slice(0, 6).join('\n    ')}`).join('\n')
