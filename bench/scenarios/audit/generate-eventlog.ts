/**
 * A hub eventlog of N events with a realistic mix (per conversation: imported, three message batches, renames,
 * stars, tags, archive and delete round trips; device presence and imports in between), written straight into
 * hub_events with the real chain hashes: appending a million events through the hub's 100-event pushes would
 * measure the hub, not the export.
 */
import type { Insertable, Kysely } from 'kysely'
import { chainHash, GENESIS_HASH } from '../../../src/main/hub/event-hash'
import type { Database } from '../../../src/main/repository/database-schema'

const DEVICES = ['device-desk-0001', 'device-laptop-0002', 'device-server-0003']
const START = Date.UTC(2025, 0, 1)
/** Eight values a row, under SQLite's 32,766 variables a statement. */
const ROWS_PER_INSERT = 2_000

function preview(n: number): string {
  return `Message ${n}: the connection pool waits for idle clients before it closes, then the handler retries the query with backoff and logs why`.slice(
    0,
    160,
  )
}

/** The n-th event of the mix: name and args. */
function eventAt(n: number): { name: string; args: Record<string, unknown> } {
  const deviceId = DEVICES[n % DEVICES.length] as string
  const meta = { at: START + n * 1_000, deviceId, actor: 'user', origin: 'ui' }
  const conversationId = `claude-code:session-${Math.floor(n / 12)}`
  switch (n % 12) {
    case 0:
      return {
        name: 'v1.ConversationImported',
        args: {
          ...meta,
          actor: 'importer',
          origin: 'import',
          sqlSeq: n,
          conversation: {
            id: conversationId,
            source: 'claude-code',
            sourceId: `session-${Math.floor(n / 12)}`,
            title: `Fix the pool leak in service ${n % 97}`,
            workspace: '/home/dev/api',
            model: 'claude-sonnet-4',
            createdAt: meta.at,
            updatedAt: meta.at,
            lastActivityAt: meta.at,
            tokensIn: 1_200 + n,
            tokensOut: 300,
            cacheReads: 0,
            cacheWrites: 0,
            cost: 0.0123,
            parentId: null,
          },
        },
      }
    case 1:
    case 2:
    case 3:
      return {
        name: 'v1.MessagesAppended',
        args: {
          ...meta,
          origin: 'import',
          actor: 'importer',
          sqlSeq: n,
          conversationId,
          messages: Array.from({ length: 4 }, (_, i) => ({
            id: `${conversationId}:${n}:${i}`,
            ordinal: (n % 12) * 4 + i,
            role: i % 2 === 0 ? 'user' : 'assistant',
            kind: 'text',
            createdAt: meta.at + i,
            preview: preview(n + i),
          })),
        },
      }
    case 4:
      return {
        name: 'v1.ConversationRenamed',
        args: { ...meta, conversationId, title: `Pool leak, part ${n % 7}` },
      }
    case 5:
      return { name: 'v1.ConversationStarred', args: { ...meta, conversationId } }
    case 6:
      return { name: 'v1.ConversationTagged', args: { ...meta, conversationId, tags: ['db', `t${n % 5}`] } }
    case 7:
      return {
        name: 'v1.DeviceConnected',
        args: { ...meta, origin: 'sync', connectedDeviceId: DEVICES[(n + 1) % 3], clientId: 'c' },
      }
    case 8:
      return { name: 'v1.ConversationArchived', args: { ...meta, conversationId } }
    case 9:
      return { name: 'v1.ConversationUnarchived', args: { ...meta, conversationId } }
    case 10:
      return {
        name: 'v1.DeviceDisconnected',
        args: { ...meta, origin: 'sync', connectedDeviceId: DEVICES[(n + 1) % 3], clientId: 'c' },
      }
    default:
      return { name: 'v1.ConversationUnstarred', args: { ...meta, conversationId } }
  }
}

export async function generateEventlog(db: Kysely<Database>, count: number, onProgress: (n: number) => void) {
  let previous = GENESIS_HASH
  await db
    .insertInto('hub_meta')
    .values({ key: 'chain', value: 'v2' })
    .onConflict((oc) => oc.doNothing())
    .execute()
  for (let from = 1; from <= count; from += ROWS_PER_INSERT) {
    const rows: Insertable<Database['hub_events']>[] = []
    for (let seq = from; seq < Math.min(from + ROWS_PER_INSERT, count + 1); seq += 1) {
      // The devices register first, so records carry device names.
      const { name, args } =
        seq <= DEVICES.length
          ? {
              name: 'v1.DeviceRegistered',
              args: {
                at: START,
                deviceId: DEVICES[seq - 1],
                actor: 'user',
                origin: 'ui',
                name: `Device ${seq}`,
                kind: 'desktop',
                platform: 'linux',
                appVersion: '0.1.0',
              },
            }
          : eventAt(seq)
      const event = {
        seqNum: seq,
        parentSeqNum: seq - 1,
        name,
        args,
        clientId: 'bench-main',
        sessionId: 'bench',
      }
      previous = chainHash(previous, event)
      rows.push({
        seq,
        parent_seq: seq - 1,
        name,
        args: JSON.stringify(args),
        client_id: event.clientId,
        session_id: event.sessionId,
        accepted_at: START + seq * 1_000,
        hash: previous,
      })
    }
    await db.transaction().execute((trx) => trx.insertInto('hub_events').values(rows).execute())
    onProgress(Math.min(from + ROWS_PER_INSERT - 1, count))
  }
}
