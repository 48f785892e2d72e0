/**
 * Reads one export (conversations.json, or the zip holding it) one conversation at a time.
 *
 * What a unit returns when part of it is bad, chosen so that nothing readable is lost and nothing is hidden:
 * - one bad element (an unsafe id, not an object, no mapping, too large, invalid JSON, a repeated id) is skipped;
 *   the others are imported;
 * - a file that stops in the middle (still being written or copied) keeps the conversations that were complete.
 *   Refusing them would lose everything if the file never gets finished; the problem is retryable, so the engine
 *   reads the unit again even before its size or mtime change, and the rest arrives once it is complete;
 * - the same holds for a file that turns into garbage part way through, except that it is not retried;
 * - each of these, and each thread that had to be repaired, is a problem of the read, listed in the import summary
 *   with the conversation it concerns where there is one. They are not copied into the conversations' metadata: a
 *   conversation read whole from a cut file is the same conversation, and stays unchanged when the file heals;
 * - when nothing at all could be imported, the unit fails with a UnitReadError instead: retryable when the file
 *   merely ends early (empty, or cut inside the first conversation), not retryable when it is not an export.
 */
import type { ImportProblem } from '../../import-summary'
import { conversationIdFor, UnitReadError, type ImportedConversation } from '../../source-adapter'
import { idProblem, mapConversation, type ConversationResult } from './conversation-mapping'
import { reasonFor } from '../../file-errors'
import { openExport } from './export-source'
import { jsonArrayEvents, type ArrayEnd, type ArrayEvent, type ArrayWording } from '../../json-array-stream'
import { ZipError } from './zip-entry'

export interface ReadExportOptions {
  readonly maxElementBytes?: number
}

export interface ExportRead {
  readonly conversations: ImportedConversation[]
  readonly problems: ImportProblem[]
}

/** Problems listed one by one per export; a broken export with thousands gets a count for the rest. */
const MAX_LISTED = 100
/** Enough of a skipped conversation's end to hold its last member, which in real exports is its `id`. */
const TAIL_BYTES = 512

const wording: ArrayWording = {
  one: 'conversation',
  many: 'conversations',
  object: 'is a JSON object, not the array of conversations an export holds',
}

const conversations = (n: number) => `${n} ${n === 1 ? 'conversation' : 'conversations'}`

/** A read that failed part way: a damaged zip entry, or a file that became unreadable. Neither heals by waiting. */
const streamFailure = (error: unknown): ArrayEnd => ({
  status: 'corrupt',
  reason: error instanceof ZipError ? error.message : reasonFor(error),
})

/**
 * The id of a conversation too large to parse, when its last member is `"id": "…"` (as ChatGPT writes them): a
 * member just before the closing brace is the object's own, not a message's, whose objects close there too.
 */
function lastMemberId(tail: string | undefined): string | undefined {
  const id = /"(?:conversation_)?id"\s*:\s*"([^"\\]*)"\s*\}\s*$/.exec(tail ?? '')?.[1]
  return id !== undefined && idProblem(id) === null ? id : undefined
}

/** An element as a conversation, or why it cannot be one. */
function mapElement(event: ArrayEvent, fallbackTime: number): ConversationResult {
  if (event.kind === 'element') return mapConversation(event.value, fallbackTime)
  const sourceId = event.cause === 'too-large' ? lastMemberId(event.tail) : undefined
  return { ok: false, reason: event.reason, ...(sourceId !== undefined && { sourceId }) }
}

/** The problems of one read, the first MAX_LISTED of them listed and the rest counted. */
class Problems {
  readonly listed: ImportProblem[] = []
  private unlisted = 0
  constructor(private readonly path: string) {}

  add(reason: string, sourceId?: string): void {
    if (this.listed.length >= MAX_LISTED) this.unlisted++
    else
      this.listed.push({
        path: this.path,
        reason,
        retryable: false,
        ...(sourceId !== undefined && { conversationId: conversationIdFor('chatgpt', sourceId) }),
      })
  }

  /** Everything, with how the file ended last: that one is never left out, it decides whether to retry. */
  all(end: ArrayEnd, imported: number): ImportProblem[] {
    const all = [...this.listed]
    if (this.unlisted > 0)
      all.push({ path: this.path, reason: `… and ${this.unlisted} more problems`, retryable: false })
    if (end.status !== 'complete')
      all.push({
        path: this.path,
        reason: `${end.reason}; imported the ${conversations(imported)} before it`,
        retryable: end.status === 'truncated',
      })
    return all
  }
}

function settle(path: string, read: ImportedConversation[], problems: Problems, end: ArrayEnd): ExportRead {
  if (read.length === 0) {
    if (end.status === 'truncated') throw new UnitReadError(path, end.reason, true)
    if (end.status === 'corrupt') throw new UnitReadError(path, end.reason)
    if (problems.listed.length > 0) {
      const first = problems.listed.slice(0, 3).map((p) => p.reason)
      throw new UnitReadError(path, `holds no conversation that can be imported: ${first.join('; ')}`)
    }
  }
  return { conversations: read, problems: problems.all(end, read.length) }
}

export async function readExport(path: string, options: ReadExportOptions = {}): Promise<ExportRead> {
  const source = await openExport(path)
  const read: ImportedConversation[] = []
  const problems = new Problems(path)
  const seen = new Set<string>()
  const fallbackTime = Math.round(source.mtimeMs)
  let end: ArrayEnd
  try {
    const events = jsonArrayEvents(source.bytes, {
      maxElementBytes: options.maxElementBytes,
      wording,
      tailBytes: TAIL_BYTES,
    })
    for (;;) {
      const next = await events.next()
      if (next.done) {
        end = next.value
        break
      }
      const index = next.value.index
      const result = mapElement(next.value, fallbackTime)
      const named = (id: string | undefined) => `conversation ${index}${id === undefined ? '' : ` (${id})`}`
      if (!result.ok) problems.add(`${named(result.sourceId)} ${result.reason}: skipped`, result.sourceId)
      else {
        const { conversation } = result.value
        if (seen.has(conversation.id))
          problems.add(
            `${named(conversation.sourceId)} repeats an earlier id: skipped`,
            conversation.sourceId,
          )
        else {
          seen.add(conversation.id)
          read.push(result.value)
          for (const problem of result.problems)
            problems.add(`${named(conversation.sourceId)}: ${problem}`, conversation.sourceId)
        }
      }
    }
  } catch (error) {
    end = streamFailure(error)
  } finally {
    await source.close()
  }
  return settle(path, read, problems, end)
}
