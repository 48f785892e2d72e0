/**
 * Claude Code session files written for the two-machine tests: distinct sessions per machine and per batch, each
 * message longer than a preview, so a test can tell a body from the preview another machine's events carry.
 * The ids are known in advance (the adapter derives them from the session id and the position).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { conversationIdFor, messageIdFor } from '../../import/source-adapter'
import { assistantLine, jsonl, userLine } from '../../import/sources/claude-code/test-session'

export interface GeneratedBatch {
  /** The `projects` folder to import (`chronicle import DIR --source claude-code`). */
  readonly projects: string
  /** Conversation id → its message ids, in order. */
  readonly conversations: ReadonlyMap<string, readonly string[]>
}

/** A session id unique to (label, batch, index), in the UUID shape Claude Code uses. */
const sessionId = (label: string, batch: number, index: number): string => {
  const hex = Buffer.from(`${label}-${batch}-${index}`).toString('hex').padEnd(32, '0').slice(0, 32)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

/** A body of about 400 characters: well past the 160 a preview keeps. */
const body = (session: string, at: number) =>
  `Message ${at} of ${session}. ` +
  'The quick brown fox jumps over the lazy dog while the relay restarts. '.repeat(6)

export function writeSessions(
  root: string,
  options: { label: string; batch: number; sessions: number; messages: number },
): GeneratedBatch {
  const { label, batch, sessions, messages } = options
  const projects = join(root, `${label}-${batch}`, 'projects')
  const dir = join(projects, `-work-${label}-${batch}`)
  mkdirSync(dir, { recursive: true })
  const conversations = new Map<string, string[]>()
  for (let index = 0; index < sessions; index += 1) {
    const session = sessionId(label, batch, index)
    const lines: Record<string, unknown>[] = []
    for (let at = 0; at < messages; at += 1) {
      const uuid = `${session}-${at}`
      const parent = at === 0 ? null : `${session}-${at - 1}`
      const text = body(session, at)
      const made =
        at % 2 === 0 ? userLine(uuid, parent, text) : assistantLine(uuid, parent, [{ type: 'text', text }])
      lines.push({
        ...made,
        sessionId: session,
        timestamp: new Date(Date.UTC(2025, 0, 1, 0, at)).toISOString(),
      })
    }
    writeFileSync(join(dir, `${session}.jsonl`), jsonl(lines))
    const id = conversationIdFor('claude-code', session)
    conversations.set(
      id,
      Array.from({ length: messages }, (_, at) => messageIdFor(id, at)),
    )
  }
  return { projects, conversations }
}
