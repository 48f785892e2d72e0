/**
 * The rule for progress in every `chronicle` command: one status line on stderr, rewritten in place at most ten
 * times a second and cleared when the work is done, drawn only when stderr is a terminal and never with --json.
 * Piped output and JSON stay exactly what the command prints. import, watch's first import and audit export
 * draw one; stats, search and simulate have no long wait to show (simulate prints each device as it connects).
 */
import type { CommandContext } from './command-context'

export interface ProgressLine {
  update(text: string): void
  done(): void
}

const THROTTLE_MS = 100

function throttled(draw: ((text: string | null) => void) | undefined): ProgressLine {
  let last = 0
  let shown = false
  return {
    update(text) {
      const now = Date.now()
      if (!draw || now - last < THROTTLE_MS) return
      last = now
      shown = true
      draw(text)
    },
    done() {
      if (shown) draw?.(null)
      shown = false
    },
  }
}

/** A command's progress line, under the rule above. */
export function commandProgress(context: Pick<CommandContext, 'output' | 'options'>): ProgressLine {
  return throttled(context.options.json ? undefined : context.output.status)
}
