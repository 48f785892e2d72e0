import { SNIPPET_MARK_END, SNIPPET_MARK_START } from '../../shared/domain'

export interface Output {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly color: boolean
}

export const processOutput = (): Output => ({
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
})

/**
 * `chronicle stats | head` closes the pipe while the command still writes: the write fails with EPIPE, which Node
 * raises as an unhandled 'error' with a stack trace. A command whose reader has gone ends quietly instead, as a
 * shell tool does: one that handles Ctrl-C (serve, watch, an audit export) is stopped as by Ctrl-C, so it closes or
 * removes what it opened; any other exits with code 0 (nobody is reading what it would say). For the process's own
 * streams only.
 */
export function endQuietlyWhenReaderGoes(
  streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr],
) {
  let ending = false
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    if (ending) return
    ending = true
    if (process.listenerCount('SIGINT') === 0) process.exit(0)
    process.kill(process.pid, 'SIGINT')
  }
  for (const stream of streams) stream.on('error', onError)
}

/** Matches are bold on a terminal and [bracketed] in a pipe, so both a person and grep can see them. */
export function renderSnippet(snippet: string, color: boolean): string {
  const [open, close] = color ? ['\x1b[1m', '\x1b[22m'] : ['[', ']']
  return snippet
    .replaceAll(SNIPPET_MARK_START, open)
    .replaceAll(SNIPPET_MARK_END, close)
    .replace(/\s+/g, ' ')
    .trim()
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => /^[\d.,$%-]*$/.test(r[i] ?? '')))
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

export const formatInt = (n: number): string => n.toLocaleString('en-US')
export const formatCost = (n: number): string => `$${n.toFixed(2)}`
