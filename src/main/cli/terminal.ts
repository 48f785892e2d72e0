import { SNIPPET_MARK_END, SNIPPET_MARK_START } from '../../shared/domain'

export interface Output {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly color: boolean
  /**
   * Draws the one progress line (`null` clears it), present only when stderr is a terminal: progress-line.ts decides
   * when to use it. `out` and `err` clear the line before they write, so it never mixes with a printed line.
   */
  readonly status?: (text: string | null) => void
}

const CLEAR_LINE = '\r\x1b[2K'

export function processOutput(): Output {
  let statusShown = false
  const clearStatus = () => {
    if (statusShown) process.stderr.write(CLEAR_LINE)
    statusShown = false
  }
  const status = (text: string | null) => {
    if (text === null) return clearStatus()
    // Kept to one row of the terminal: a wrapped line could not be rewritten in place.
    const columns = process.stderr.columns || 80
    process.stderr.write(`${CLEAR_LINE}${text.slice(0, columns - 1)}`)
    statusShown = true
  }
  return {
    out: (text) => {
      clearStatus()
      process.stdout.write(`${text}\n`)
    },
    err: (text) => {
      clearStatus()
      process.stderr.write(`${text}\n`)
    },
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    ...(process.stderr.isTTY && { status }),
  }
}

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

/** `rightAligned` names the columns to right-align; by default those whose every cell looks like a number. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned?: readonly boolean[],
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const numeric =
    rightAligned ??
    headers.map((_, i) => rows.length > 0 && rows.every((r) => /^[\d.,$%-]*$/.test(r[i] ?? '')))
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

export const formatInt = (n: number): string => n.toLocaleString('en-US')
export const formatCost = (n: number): string => `$${n.toFixed(2)}`
