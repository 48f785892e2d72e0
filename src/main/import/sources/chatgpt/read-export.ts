/**
 * Reads one export (conversations.json, or the zip holding it) one conversation at a time.
 *
 * What a unit returns when part of it is bad, chosen so that nothing readable is lost and nothing is hidden:
 * - one bad element (an unsafe id, not an object, too large, invalid JSON) is skipped; the others are imported;
 * - a file that stops in the middle (still being written or copied) keeps the conversations that were complete.
 *   Refusing them would lose everything if the file never gets finished; and when it does get finished, its size
 *   and mtime change, so the engine reads the unit again and the rest arrives;
 * - the same holds for a file that turns into garbage part way through, except that it is not expected to heal;
 * - whatever was skipped or cut short is written into every imported conversation's metadata (`importProblems`),
 *   since an adapter has no other channel to the import summary for a unit that did import;
 * - when nothing at all could be imported, the unit fails with a UnitReadError instead: retryable when the file
 *   merely ends early (empty, or cut inside the first conversation), not retryable when it is not an export.
 */
import { basename } from 'node:path'
import { UnitReadError, type ImportedConversation } from '../../source-adapter'
import { mapConversation } from './conversation-mapping'
import { reasonFor } from '../../file-errors'
import { openExport } from './export-source'
import { jsonArrayEvents, type ArrayEnd, type ArrayWording } from '../../json-array-stream'
import { ZipError } from './zip-entry'

export interface ReadExportOptions {
  readonly maxElementBytes?: number
}

const MAX_NOTES = 20

const wording: ArrayWording = {
  one: 'conversation',
  many: 'conversations',
  object: 'is a JSON object, not the array of conversations an export holds',
}

/** A read that failed part way: a damaged zip entry, or a file that became unreadable. Neither heals by waiting. */
const streamFailure = (error: unknown): ArrayEnd => ({
  status: 'corrupt',
  reason: error instanceof ZipError ? error.message : reasonFor(error),
})

function settle(
  path: string,
  conversations: ImportedConversation[],
  notes: string[],
  end: ArrayEnd,
): ImportedConversation[] {
  if (conversations.length === 0) {
    if (end.status === 'truncated') throw new UnitReadError(path, end.reason, true)
    if (end.status === 'corrupt') throw new UnitReadError(path, end.reason)
    if (notes.length > 0)
      throw new UnitReadError(
        path,
        `holds no conversation that can be imported: ${notes.slice(0, 3).join('; ')}`,
      )
    return conversations
  }
  if (end.status !== 'complete') notes.push(`${basename(path)} ${end.reason}`)
  if (notes.length === 0) return conversations
  const importProblems =
    notes.length > MAX_NOTES
      ? [...notes.slice(0, MAX_NOTES), `… and ${notes.length - MAX_NOTES} more problems`]
      : notes
  return conversations.map((c) => ({
    ...c,
    conversation: { ...c.conversation, metadata: { ...c.conversation.metadata, importProblems } },
  }))
}

export async function readExport(
  path: string,
  options: ReadExportOptions = {},
): Promise<ImportedConversation[]> {
  const source = await openExport(path)
  const conversations: ImportedConversation[] = []
  const notes: string[] = []
  const seen = new Set<string>()
  let end: ArrayEnd
  try {
    const events = jsonArrayEvents(source.bytes, { maxElementBytes: options.maxElementBytes, wording })
    for (;;) {
      const next = await events.next()
      if (next.done) {
        end = next.value
        break
      }
      const event = next.value
      const result =
        event.kind === 'skipped'
          ? { ok: false as const, reason: event.reason }
          : mapConversation(event.value, Math.round(source.mtimeMs))
      if (!result.ok) notes.push(`conversation ${event.index} ${result.reason}: skipped`)
      else if (seen.has(result.value.conversation.id))
        notes.push(`conversation ${event.index} repeats id ${result.value.conversation.sourceId}: skipped`)
      else {
        seen.add(result.value.conversation.id)
        conversations.push(result.value)
      }
    }
  } catch (error) {
    end = streamFailure(error)
  } finally {
    await source.close()
  }
  return settle(path, conversations, notes, end)
}
