/**
 * Migration 0015 on a library written at version 14: the usage queries answer exactly as before, read the
 * indexes alone (no row looked up behind an entry), and the rollup triggers keep their sums right afterwards.
 */
import BetterSqlite3 from 'better-sqlite3'
import { CompiledQuery, Kysely, SqliteDialect } from 'kysely'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import type { Database } from '../repository/database-schema'
import { DATABASE_FILE } from '../repository/repository'
import { applyMigrations, planMigrations } from '../repository/sqlite/migrator'
import { sqliteMigrations } from '../repository/sqlite/migrations'
import { useScratch } from '../repository/test-support/scratch'
import { slotsQuery } from './usage-blocks'
import { billingBlocks, usageRankings, usageSeries } from './usage-queries'

const scratch = useScratch()
const H = 3_600_000
const T0 = Date.UTC(2025, 5, 1)

function libraryAtVersion14(): { db: BetterSqlite3.Database; file: string } {
  const file = join(scratch.dir(), DATABASE_FILE)
  const db = new BetterSqlite3(file)
  scratch.defer(() => db.close())
  applyMigrations(db, planMigrations(db, sqliteMigrations.slice(0, 14), file).pending, () => 1)
  const conversation = db.prepare(`INSERT INTO conversations (id, source, source_id, workspace, created_at,
    updated_at, last_activity_at) VALUES (?, ?, ?, ?, 0, 0, 0)`)
  const response =
    db.prepare(`INSERT INTO usage (conversation_id, response_key, message_id, at, model, device_id,
    tokens_in, tokens_out, cache_writes, cache_writes_1h, cache_reads, logged_cost, cost, cost_uncached)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, ?, ?)`)
  db.transaction(() => {
    for (let c = 0; c < 12; c++) {
      conversation.run(
        `c${c}`,
        c % 3 === 0 ? 'roo' : 'claude-code',
        `c${c}`,
        c % 4 === 0 ? null : `/w/${c % 4}`,
      )
      for (let r = 0; r < 20; r++) {
        const at = T0 + ((c * 7 + r * 5) % 90) * (H / 3)
        const cost = r % 7 === 0 ? null : ((c + 1) * (r + 3)) / 100
        response.run(
          `c${c}`,
          `r${r}`,
          `m${r}`,
          at,
          r % 2 ? 'claude-sonnet-4-5' : 'claude-opus-4-1',
          `d${r % 3}`,
          100 + r,
          10 * c,
          r,
          1000 * c,
          cost,
          cost === null ? null : cost * 2,
        )
      }
    }
  })()
  return { db, file }
}

const kysely = (db: BetterSqlite3.Database) =>
  new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) })

async function answers(db: Kysely<Database>) {
  const filters = [
    {},
    { model: 'claude-sonnet-4-5' },
    { deviceId: 'd1', since: T0 + 5 * H },
    { workspace: '/w/1' },
  ]
  const out: unknown[] = []
  for (const filter of filters) {
    out.push(await usageRankings(db, { filter, limit: 5 }))
    out.push(
      await billingBlocks(db, { filter: { ...filter, since: filter.since ?? T0 + 2 * H }, now: T0 + 20 * H }),
    )
    out.push(await usageSeries(db, { period: 'day', by: 'model', filter, utcOffsetMinutes: 0 }))
  }
  return out
}

const plan = async (db: Kysely<Database>, text: string, parameters: readonly unknown[] = []) =>
  (
    await db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`EXPLAIN QUERY PLAN ${text}`, [...parameters]),
    )
  ).rows
    .map((r) => r.detail)
    .join('\n')

/** The rollup as the responses sum it, and as the triggers kept it. */
const rollups = (db: BetterSqlite3.Database) => [
  db
    .prepare(
      `SELECT at / 3600000 AS hour, conversation_id, model, device_id, count(*) AS responses,
      sum(tokens_in) AS tokens_in, sum(cache_reads) AS cache_reads, round(sum(coalesce(cost, 0)), 9) AS cost,
      sum(cost IS NULL) AS unpriced
    FROM usage GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    )
    .all(),
  db
    .prepare(
      `SELECT hour, conversation_id, model, device_id, responses, tokens_in, cache_reads,
      round(cost, 9) AS cost, unpriced FROM usage_hourly ORDER BY 1, 2, 3, 4`,
    )
    .all(),
]

it('0015 answers the usage queries as 0014 did, from the indexes alone, and the triggers keep the rollup', async () => {
  const { db, file } = libraryAtVersion14()
  const before = await answers(kysely(db))
  expect(JSON.stringify(before)).toContain('"cost"')
  const pending = planMigrations(db, sqliteMigrations.slice(0, 15), file).pending
  expect(pending.map((m) => m.version)).toEqual([15])
  applyMigrations(db, pending, () => 2)
  const k = kysely(db)
  expect(await answers(k)).toEqual(before)

  const perConversation = `SELECT h.conversation_id, sum(h.cost), sum(h.tokens_in), sum(h.unpriced)
    FROM usage_hourly h WHERE h.model = 'claude-sonnet-4-5' GROUP BY h.conversation_id`
  expect(await plan(k, perConversation)).toContain('USING COVERING INDEX usage_hourly_by_conversation')
  const { sql: slots, parameters } = slotsQuery({ since: T0 + 5 * H }).compile(k)
  expect(await plan(k, slots, parameters)).toContain('USING COVERING INDEX usage_by_time')

  db.prepare(`UPDATE usage SET cost = cost * 3, at = at + ? WHERE response_key IN ('r1', 'r2')`).run(H)
  db.prepare(`DELETE FROM usage WHERE conversation_id = 'c3'`).run()
  db.prepare(
    `INSERT INTO usage (conversation_id, response_key, message_id, at, model, device_id, tokens_in,
    tokens_out, cache_writes, cache_writes_1h, cache_reads, cost, cost_uncached)
    VALUES ('c1', 'late', 'late', ?, 'claude-sonnet-4-5', 'd0', 7, 7, 0, 0, 0, 0.5, 1)`,
  ).run(T0 + 40 * H)
  const [summed, kept] = rollups(db)
  expect(kept).toEqual(summed)
  expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok')
})
