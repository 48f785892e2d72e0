/**
 * What the UI log (ui_messages.json, formerly claude_messages.json) says about the task as a whole: the prompt,
 * token and cost totals, and the time span. Rows are `{ts, type: 'say'|'ask', say?, ask?, text?, ...}`.
 */
import { toEpochMs } from '../../message-content'
import { addUsage, NO_USAGE, type Usage } from './api-history'
import { asString, isRecord, maxOf, minOf } from './json-values'

export const rowName = (row: unknown): string | undefined =>
  isRecord(row) ? (asString(row.say) ?? asString(row.ask)) : undefined

/**
 * What the functions below read of a row, and nothing else: a UI log can be hundreds of MB (pasted images, long
 * command output, requests quoting whole files), so the adapter keeps these instead of the rows. Only the first
 * row's text (the prompt) is kept, and the figures of a row that is a request (request-usage.ts).
 */
export interface RowFacts {
  readonly ts: unknown
  readonly ask: unknown
  readonly say: unknown
  readonly text?: unknown
  readonly usage?: Partial<Usage>
}

export function rowFacts(row: unknown, index: number, usage?: Partial<Usage>): RowFacts | null {
  if (!isRecord(row)) return null
  const { ts, say, ask } = row
  return { ts, say, ask, ...(index === 0 && { text: row.text }), ...(usage && { usage }) }
}

/** The task prompt: Roo's first row is say:"text", Cline's say:"task". */
export function uiPrompt(rows: readonly (RowFacts | null)[]): string | undefined {
  const first = rows[0]
  return first && (first.say === 'text' || first.say === 'task') ? asString(first.text) : undefined
}

/**
 * Sums of the requests' usage (every api_req_started row, and condense_context rows' cost), as the assistants total
 * them for their history; a row whose text was not JSON (cut off while streaming) adds nothing.
 */
export const uiUsage = (rows: readonly (RowFacts | null)[]): Usage =>
  rows.reduce<Usage>((total, row) => (row?.usage ? addUsage(total, row.usage) : total), NO_USAGE)

// Written when the user merely reopens a task; the assistants leave them out of the task's time too.
const RESUME_ASKS = new Set(['resume_task', 'resume_completed_task'])

export function uiTimeSpan(rows: readonly (RowFacts | null)[]): { first?: number; last?: number } {
  const all = rows.map((r) => (r ? toEpochMs(r.ts) : null))
  const relevant = rows.map((r, i) => (r && RESUME_ASKS.has(String(r.ask)) ? null : all[i]))
  return { first: minOf(all), last: maxOf(relevant) }
}
