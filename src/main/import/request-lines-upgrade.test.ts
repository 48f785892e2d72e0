/**
 * Migration 0014 on a library an earlier version imported: a Roo task whose API requests were messages of their own
 * ("API request" lines carrying the figures) reads, after the upgrade and the next import, as a task imported today:
 * the figures on the answers, one line for the request nothing answered, ordinals without gaps, nothing marked as
 * gone from its source.
 */
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openRepository } from '../repository/repository'
import { useScratch } from '../repository/test-support/scratch'
import { importSources } from './import-engine'
import { rooCodeAdapter } from './sources/roo-cline'
import { writeTask } from './sources/roo-cline/test-folders'
import { apiRequest, at, say } from './sources/roo-cline/test-task-rows'

const scratch = useScratch()
const TASK = 'upgraded'
const id = (key: string) => `roo:${TASK}#${key}`

const rows = [
  say(at(1000), 'text', 'Rename the request handler'),
  apiRequest(at(1100), '<task>Rename the request handler</task>'),
  say(at(1200), 'text', 'Renamed it.'),
  // Cancelled before any answer: a line of its own, today as before.
  say(
    at(1300),
    'api_req_started',
    JSON.stringify({
      request: 'go on',
      tokensIn: 3,
      tokensOut: 0,
      cost: 0.002,
      cancelReason: 'user_cancelled',
    }),
  ),
  say(at(1400), 'user_feedback', 'Stop there'),
]

interface Row {
  id: string
  ordinal: number
  kind: string
  left_source_at: number | null
}

function messagesOf(file: string): Row[] {
  const db = new BetterSqlite3(file, { readonly: true })
  try {
    return db
      .prepare('SELECT id, ordinal, kind, left_source_at FROM messages ORDER BY ordinal')
      .all() as Row[]
  } finally {
    db.close()
  }
}

/**
 * What the earlier version left: the answered request's line before its answer, holding its usage row, the
 * ordinals counting it, and migration 14 not yet applied.
 */
function makeLegacy(file: string): void {
  const db = new BetterSqlite3(file)
  try {
    db.transaction(() => {
      // Moved out of the way first: ordinals are unique per conversation at every step.
      db.prepare('UPDATE messages SET ordinal = -ordinal WHERE ordinal >= 1').run()
      db.prepare('UPDATE messages SET ordinal = 1 - ordinal WHERE ordinal < 0').run()
      db.prepare(
        `INSERT INTO messages (id, conversation_id, ordinal, role, kind, created_at, text, metadata)
         VALUES (?, ?, 1, 'system', 'event', ?, 'API request', '{"say":"api_req_started"}')`,
      ).run(id(`ui-${at(1100)}-request`), `roo:${TASK}`, at(1100))
      db.prepare(`UPDATE usage SET message_id = ? WHERE response_key = ?`).run(
        id(`ui-${at(1100)}-request`),
        `ui-${at(1100)}`,
      )
      db.prepare('DELETE FROM schema_migrations WHERE version = 14').run()
    })()
  } finally {
    db.close()
  }
}

describe('a library imported when requests were lines of their own', () => {
  it('reads as imported today after the upgrade and the next import, its usage on the answers', async () => {
    const tasks = scratch.dir()
    writeTask(tasks, TASK, { 'ui_messages.json': rows })
    const dataDir = scratch.dir()
    const first = openRepository({ dataDir })
    await importSources(first, [{ path: tasks, adapter: rooCodeAdapter }])
    await first.close()
    const today = messagesOf(first.file)
    makeLegacy(first.file)
    expect(messagesOf(first.file).map((m) => m.id)).toContain(id(`ui-${at(1100)}-request`))

    const upgraded = scratch.open({ dataDir })
    // The unit's files did not change: without the migration marking it, this import would not read it.
    const summary = await importSources(upgraded, [{ path: tasks, adapter: rooCodeAdapter }])
    expect(summary.unitsRead).toBe(1)
    expect(messagesOf(upgraded.file)).toEqual(today)
    expect(today.map((m) => [m.id, m.ordinal, m.kind, m.left_source_at])).toEqual([
      [id(`ui-${at(1000)}`), 0, 'text', null],
      [id(`ui-${at(1200)}`), 1, 'text', null],
      [id(`ui-${at(1300)}-request`), 2, 'event', null],
      [id(`ui-${at(1400)}`), 3, 'text', null],
    ])
    const usage = new BetterSqlite3(upgraded.file, { readonly: true })
    try {
      expect(usage.prepare('SELECT response_key, message_id FROM usage ORDER BY response_key').all()).toEqual(
        [
          { response_key: `ui-${at(1100)}`, message_id: id(`ui-${at(1200)}`) },
          { response_key: `ui-${at(1300)}`, message_id: id(`ui-${at(1300)}-request`) },
        ],
      )
    } finally {
      usage.close()
    }
    // "request" finds what was said, and the one line left: no line per answered request any more.
    const found = await upgraded.search('request')
    expect(found.ok && found.value.hits.map((h) => h.messageId).sort()).toEqual([
      id(`ui-${at(1000)}`),
      id(`ui-${at(1300)}-request`),
    ])
  })
})
