/**
 * One status line on stderr that rewrites itself, at most ten times a second, and only on a terminal: piped or
 * --json output stays clean.
 */
export function progressLine(isTerminal = Boolean(process.stderr.isTTY)) {
  let last = 0
  let shown = false
  return {
    update(text: string) {
      const now = Date.now()
      if (!isTerminal || now - last < 100) return
      last = now
      shown = true
      process.stderr.write(`\r\x1b[2K${text}`)
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[2K')
    },
  }
}
