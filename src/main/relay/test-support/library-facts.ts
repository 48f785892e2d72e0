/**
 * What a stopped machine's data directory holds, read straight from its chronicle.sqlite: the hub's eventlog as
 * the chain sees it, the SQL repository's conversations and messages, and which message ids the eventlog
 * announces, for the two-machine tests' "same everywhere, nothing lost, nothing twice".
 */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { STORE_ID } from '../../../shared/livestore/store-id'
import { stateDbFile } from '../../livestore/repair-store-files'

export interface ChainRow {
  readonly seq: number
  readonly parentSeq: number
  readonly name: string
  readonly clientId: string
  readonly sessionId: string
  /** SHA-256 of the stored args: equal args, equal digest. */
  readonly argsHash: string
  readonly hash: string
}

export interface LibraryFacts {
  readonly chain: readonly ChainRow[]
  /** Conversation id → its message rows in SQL. */
  readonly messageCounts: Readonly<Record<string, number>>
  readonly messageRows: number
  readonly distinctMessageIds: number
  /** Message id → how many MessagesAppended events announce it. */
  readonly appended: ReadonlyMap<string, number>
  /** Message id → the text SQL holds for it. */
  readonly texts: ReadonlyMap<string, string>
}

interface MessagesArgs {
  readonly messages?: readonly { readonly id: string }[]
}

export function readLibraryFacts(dataDir: string): LibraryFacts {
  const db = new Database(join(dataDir, 'chronicle.sqlite'), { readonly: true, fileMustExist: true })
  try {
    const events = db
      .prepare('SELECT seq, parent_seq, name, client_id, session_id, args, hash FROM hub_events ORDER BY seq')
      .all() as {
      seq: number
      parent_seq: number
      name: string
      client_id: string
      session_id: string
      args: string
      hash: string
    }[]
    const appended = new Map<string, number>()
    for (const event of events) {
      if (event.name !== 'v1.MessagesAppended') continue
      for (const { id } of (JSON.parse(event.args) as MessagesArgs).messages ?? [])
        appended.set(id, (appended.get(id) ?? 0) + 1)
    }
    const counts = db
      .prepare('SELECT conversation_id AS id, count(*) AS n FROM messages GROUP BY conversation_id')
      .all() as { id: string; n: number }[]
    const conversations = db.prepare('SELECT id FROM conversations').all() as { id: string }[]
    const messageCounts: Record<string, number> = {}
    for (const { id } of conversations) messageCounts[id] = 0
    for (const { id, n } of counts) messageCounts[id] = n
    const totals = db.prepare('SELECT count(*) AS rows, count(DISTINCT id) AS ids FROM messages').get() as {
      rows: number
      ids: number
    }
    const texts = new Map(
      (db.prepare('SELECT id, text FROM messages').all() as { id: string; text: string }[]).map((m) => [
        m.id,
        m.text,
      ]),
    )
    return {
      chain: events.map((e) => ({
        seq: e.seq,
        parentSeq: e.parent_seq,
        name: e.name,
        clientId: e.client_id,
        sessionId: e.session_id,
        argsHash: createHash('sha256').update(e.args).digest('hex'),
        hash: e.hash,
      })),
      messageCounts,
      messageRows: totals.rows,
      distinctMessageIds: totals.ids,
      appended,
      texts,
    }
  } finally {
    db.close()
  }
}

/** Message ids the eventlog appends more than once. */
export const appendedTwice = (facts: LibraryFacts): string[] =>
  [...facts.appended].filter(([, n]) => n > 1).map(([id]) => id)

/** The first place two chains differ, for a failure message (null when they are the same). */
export function firstDifference(a: readonly ChainRow[], b: readonly ChainRow[]): string | null {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if (JSON.stringify(a[i]) !== JSON.stringify(b[i]))
      return `event ${i + 1}: A ${JSON.stringify(a[i])} / B ${JSON.stringify(b[i])}`
  }
  return null
}

/**
 * Conversation and message rows, and whether every event of the hub's eventlog is applied to SQL (the bridge's
 * cursor at the head): read while the machine runs, a reader beside its writers.
 */
export function rowCounts(dataDir: string): { conversations: number; messages: number; applied: boolean } {
  const db = new Database(join(dataDir, 'chronicle.sqlite'), { readonly: true, fileMustExist: true })
  try {
    const row = db
      .prepare(
        `SELECT (SELECT count(*) FROM conversations) AS conversations, (SELECT count(*) FROM messages) AS messages,
          (SELECT coalesce(max(seq), 0) FROM hub_events) AS head,
          (SELECT coalesce(max(position), 0) FROM bridge_cursors WHERE name = 'events-applied') AS applied`,
      )
      .get() as { conversations: number; messages: number; head: number; applied: number }
    return { conversations: row.conversations, messages: row.messages, applied: row.applied === row.head }
  } finally {
    db.close()
  }
}

/** The messageCount of each conversation in a stopped machine's main LiveStore state: what its UI shows. */
export function materialisedCounts(dataDir: string): Record<string, number> {
  const state = new Database(stateDbFile(join(dataDir, 'livestore', STORE_ID)), {
    readonly: true,
    fileMustExist: true,
  })
  try {
    const rows = state.prepare('SELECT id, messageCount FROM conversations').all() as {
      id: string
      messageCount: number
    }[]
    return Object.fromEntries(rows.map((row) => [row.id, row.messageCount]))
  } finally {
    state.close()
  }
}
