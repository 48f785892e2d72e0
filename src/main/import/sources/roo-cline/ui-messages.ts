/**
 * What the UI log (ui_messages.json, formerly claude_messages.json) adds when the API history is there: the task
 * prompt, token and cost totals, and the time span. Rows are `{ts, type: 'say'|'ask', say?, ask?, text?, ...}`.
 */
import { toEpochMs } from '../../message-content'
import { addUsage, NO_USAGE, type Usage } from './api-history'
import { asNumber, asString, isRecord, maxOf, minOf } from './json-values'

export const rowName = (row: unknown): string | undefined =>
  isRecord(row) ? (asString(row.say) ?? asString(row.ask)) : undefined

/**
 * What the functions below read of a row, and nothing else: a UI log can be hundreds of MB (pasted images, long
 * command output), so the adapter keeps these instead of the rows. Only the first row's text (the prompt) and the
 * usage rows' text are kept.
 */
export function rowFacts(row: unknown, index: number): unknown {
  if (!isRecord(row)) return null
  const { ts, type, say, ask, text } = row
  const keepText = index === 0 || say === 'api_req_started'
  return { ts, type, say, ask, ...(keepText ? { text } : {}) }
}

/** The task prompt: Roo's first row is say:"text", Cline's say:"task". */
export function uiPrompt(rows: readonly unknown[]): string | undefined {
  const first = rows[0]
  const name = rowName(first)
  return isRecord(first) && (name === 'text' || name === 'task') ? asString(first.text) : undefined
}

/**
 * Sums of every say:"api_req_started" row, the same rows the assistants total for their own history view. A row
 * whose text is not JSON (cut off while streaming) contributes nothing rather than failing the task.
 */
export function uiUsage(rows: readonly unknown[]): Usage {
  let total = NO_USAGE
  for (const row of rows) {
    if (!isRecord(row) || row.say !== 'api_req_started' || typeof row.text !== 'string') continue
    let info: unknown
    try {
      info = JSON.parse(row.text)
    } catch {
      continue
    }
    if (!isRecord(info)) continue
    total = addUsage(total, {
      tokensIn: asNumber(info.tokensIn),
      tokensOut: asNumber(info.tokensOut),
      cacheReads: asNumber(info.cacheReads),
      cacheWrites: asNumber(info.cacheWrites),
      cost: asNumber(info.cost),
    })
  }
  return total
}

// Written when the user merely reopens a task; the assistants leave them out of the task's time too.
const RESUME_ASKS = new Set(['resume_task', 'resume_completed_task'])

export function uiTimeSpan(rows: readonly unknown[]): { first?: number; last?: number } {
  const all = rows.map((r) => (isRecord(r) ? toEpochMs(r.ts) : null))
  const relevant = rows.map((r, i) => (isRecord(r) && RESUME_ASKS.has(String(r.ask)) ? null : all[i]))
  return { first: minOf(all), last: maxOf(relevant) }
}
