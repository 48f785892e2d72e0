/**
 * Message bodies in the sync scenario (issue 17): what the bench plants on A so that B's search can prove the last
 * body arrived, what A's bodies weigh, and what the Worker keeps for them. B fetches bodies the newest conversations
 * first, so the last message of the oldest conversation is the last body B writes: a phrase placed there, past the
 * preview that the events carry, is found by B's search only once the download is complete.
 */
import BetterSqlite3 from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { encodeMessageBody } from '../../../src/main/bodies/message-body'
import { openRepository } from '../../../src/main/repository/repository'
import { bytesUnder } from './worker-watch'

/** Words no corpus vocabulary holds, so a hit can only be the planted message. */
export const PLANTED_QUERY = 'zorblaxian vellichorous quindecagonal'
/** Beyond the events' preview (PREVIEW_CHARS, 160) with room to spare. */
const PLANT_AFTER_CHARS = 400

export interface PlantedMessage {
  readonly conversationId: string
  readonly messageId: string
  /** Where the phrase starts in the message's text. */
  readonly at: number
}

/** Appends the phrase to the last message of the conversation B fetches last, in one 'import' write on A. */
export async function plantInOldest(dataDir: string): Promise<PlantedMessage> {
  const repository = openRepository({ dataDir })
  try {
    // The downloader's order reversed: last_activity_at descending, then conversation id ascending.
    const target = await repository.db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .select(['m.id', 'm.conversation_id', 'm.text'])
      .orderBy('c.last_activity_at', 'asc')
      .orderBy('m.conversation_id', 'desc')
      .orderBy('m.ordinal', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    const filler = ' Nothing to find here, only words to push the phrase past the preview.'
    let text = `${target.text}\n\n`
    while (text.length < PLANT_AFTER_CHARS) text += filler
    const at = text.length + 1
    text += ` ${PLANTED_QUERY}.`
    await repository.write('import', (_w, trx) =>
      trx.updateTable('messages').set({ text }).where('id', '=', target.id).execute(),
    )
    return { conversationId: target.conversation_id, messageId: target.id, at }
  } finally {
    await repository.close()
  }
}

export interface BodyBytes {
  readonly messages: number
  /** UTF-8 bytes of `text` plus `content`, as the repository holds them. */
  readonly columns: number
  /** Bytes of the bodies as they travel (message-body.ts: the JSON array [text, content, metadata], empty metadata left out). */
  readonly encoded: number
  /** The same, counting equal bodies once: the uploader stores a body once, whatever messages share it. */
  readonly distinct: number
  readonly distinctBodies: number
}

/** What A's message bodies weigh, read from A's repository by another connection. */
export function bodyBytes(dataDir: string): BodyBytes {
  const db = new BetterSqlite3(join(dataDir, 'chronicle.sqlite'), { readonly: true })
  try {
    const seen = new Set<string>()
    let messages = 0
    let columns = 0
    let encoded = 0
    let distinct = 0
    const rows = db.prepare('SELECT text, content, metadata FROM messages').iterate() as Iterable<{
      text: string
      content: string | null
      metadata: string
    }>
    for (const { text, content, metadata } of rows) {
      const body = encodeMessageBody({ text, content, metadata })
      const digest = createHash('sha256').update(body).digest('base64')
      messages++
      columns +=
        Buffer.byteLength(text) +
        (content === null ? 0 : Buffer.byteLength(content)) +
        (metadata === '{}' ? 0 : Buffer.byteLength(metadata))
      encoded += body.length
      if (!seen.has(digest)) {
        seen.add(digest)
        distinct += body.length
      }
    }
    return { messages, columns, encoded, distinct, distinctBodies: seen.size }
  } finally {
    db.close()
  }
}

export interface WorkerStorage {
  /** Wrangler's R2 simulation: the objects' files and its own index of them. */
  readonly blobs: number
  /** The Durable Object's SQLite (the library's eventlog). */
  readonly durableObject: number
  readonly total: number
}

const under = (dir: string) => (existsSync(dir) ? bytesUnder(dir) : 0)

/** Miniflare keeps its state under `<persist-to>/v3`, one folder per kind of storage. */
export function workerStorage(persistTo: string): WorkerStorage {
  return {
    blobs: under(join(persistTo, 'v3', 'r2')),
    durableObject: under(join(persistTo, 'v3', 'do')),
    total: under(persistTo),
  }
}
