/**
 * A conversation's materialised messageCount, on a real LiveStore store (Node adapter, files in a scratch
 * directory, no sync): exact when the eventlog appends a message twice (two machines imported the same files
 * while apart), deletes what was never appended or deletes twice, or purges a conversation and imports it again;
 * and the same after the state is rebuilt from the eventlog.
 */
import { makeAdapter } from '@livestore/adapter-node'
import { createStorePromise } from '@livestore/livestore'
import { LogLevel } from '@livestore/utils/effect'
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, newChronicleConversation, type MessageRow } from '../../shared/livestore/events'
import { rowPrefix } from '../../shared/livestore/message-keys'
import { schema, tables } from '../../shared/livestore/schema'
import { silentTracer } from '../../shared/livestore/silent-tracer'
import { useScratch } from '../repository/test-support/scratch'

const scratch = useScratch()

async function openStore(dir: string) {
  const store = await createStorePromise({
    schema,
    adapter: makeAdapter({
      storage: { type: 'fs', baseDirectory: dir },
      clientId: 'test',
      sessionId: 'main',
    }),
    storeId: 'message-count',
    disableDevtools: true,
    otelOptions: { tracer: silentTracer },
    logLevel: LogLevel.Warning,
  })
  let open = true
  const shutdown = async () => {
    if (!open) return
    open = false
    // Shutting down before the leader took every committed event would lose them (chronicle-store.ts).
    while (store.syncStatus().pendingCount > 0) await new Promise((resolve) => setTimeout(resolve, 5))
    await store.shutdownPromise()
  }
  scratch.defer(shutdown)
  return { store, shutdown }
}

const bridge = { at: 1, deviceId: 'laptop', actor: 'bridge', origin: 'import' as const }
const message = (id: string, ordinal = 0): MessageRow => ({
  id,
  ordinal,
  role: 'user',
  kind: 'text',
  createdAt: null,
  preview: id,
})
const imported = (id: string) =>
  events.conversationImported({ ...bridge, conversation: newChronicleConversation(id, id, 1) })
const appended = (conversationId: string, ...ids: string[]) =>
  events.messagesAppended({ ...bridge, conversationId, messages: ids.map((id, i) => message(id, i)) })
const deleted = (conversationId: string, ...ids: string[]) =>
  events.messagesDeleted({ ...bridge, conversationId, ids })

type Store = Awaited<ReturnType<typeof openStore>>['store']
const countOf = (store: Store, id: string) =>
  store.query(tables.conversations.where({ id }).first())?.messageCount

describe("a conversation's messageCount", () => {
  it('counts a message appended twice once, and new ids from another device still count', async () => {
    const { store } = await openStore(scratch.dir())
    store.commit(imported('c1'), appended('c1', 'm1', 'm2', 'm3'))
    // The other machine's announcement of the same rows, kept by the rebase, and one batch naming an id twice.
    store.commit(imported('c1'), appended('c1', 'm1', 'm2', 'm3'), appended('c1', 'm4', 'm4'))
    expect(countOf(store, 'c1')).toBe(4)
    // A device's conversation, its messages new ids; the same message id in another conversation is its own.
    const ui = { at: 2, deviceId: 'phone', actor: 'user', origin: 'ui' as const }
    store.commit(
      events.conversationCreated({ ...ui, conversation: newChronicleConversation('c2', 'Mine', 2) }),
      events.messagesAppended({ ...ui, conversationId: 'c2', messages: [message('m1'), message('n2', 1)] }),
    )
    expect(countOf(store, 'c2')).toBe(2)
    expect(countOf(store, 'c1')).toBe(4)
  })

  it('counts down only for ids it counted: never below 0, once for a delete made twice', async () => {
    const { store } = await openStore(scratch.dir())
    store.commit(imported('c1'), appended('c1', 'm1', 'm2', 'm3'))
    store.commit(deleted('c1', 'never-appended'))
    expect(countOf(store, 'c1')).toBe(3)
    store.commit(deleted('c1', 'm1'), deleted('c1', 'm1', 'm2'))
    expect(countOf(store, 'c1')).toBe(1)
    store.commit(deleted('c1', 'm2', 'm3', 'x', 'y', 'z'))
    expect(countOf(store, 'c1')).toBe(0)
    // A deleted message appended again (the source file brought it back) counts again.
    store.commit(appended('c1', 'm1'))
    expect(countOf(store, 'c1')).toBe(1)
  })

  it('forgets a purged conversation, so importing it again counts its messages again', async () => {
    const { store } = await openStore(scratch.dir())
    store.commit(imported('c1'), appended('c1', 'm1', 'm2'), imported('c2'), appended('c2', 'm1'))
    store.commit(events.conversationPurged({ ...bridge, conversationId: 'c1' }))
    expect(countOf(store, 'c1')).toBeUndefined()
    expect(store.query(tables.messageKeys.count())).toBe(1)
    store.commit(imported('c1'), appended('c1', 'm1', 'm2'))
    expect(countOf(store, 'c1')).toBe(2)
    expect(countOf(store, 'c2')).toBe(1)
  })

  it('keeps apart two conversations whose rows share a range, in counts and in a purge', async () => {
    // Conversation ids whose rows start alike (message-keys.ts rowPrefix): about one in a million pairs, found here.
    const byPrefix = new Map<number, string>()
    let pair: [string, string] | null = null
    for (let i = 0; pair === null; i += 1) {
      const id = `shared-${i}`
      const other = byPrefix.get(rowPrefix(id))
      if (other === undefined) byPrefix.set(rowPrefix(id), id)
      else pair = [other, id]
    }
    const [a, b] = pair
    const { store } = await openStore(scratch.dir())
    store.commit(imported(a), appended(a, 'm1', 'm2', 'm3'), imported(b), appended(b, 'm1'))
    expect([countOf(store, a), countOf(store, b)]).toEqual([3, 1])
    store.commit(events.conversationPurged({ ...bridge, conversationId: a }))
    store.commit(appended(b, 'm2'))
    expect(countOf(store, b)).toBe(2)
    expect(store.query(tables.messageKeys.count())).toBe(2)
  })

  it('is the same after the state is rebuilt from the eventlog', async () => {
    const dir = scratch.dir()
    const first = await openStore(dir)
    first.store.commit(
      imported('c1'),
      appended('c1', 'm1', 'm2'),
      appended('c1', 'm2', 'm3'),
      deleted('c1', 'm1', 'm9'),
      imported('c2'),
      appended('c2', 'm1'),
      events.conversationPurged({ ...bridge, conversationId: 'c2' }),
      imported('c2'),
      appended('c2', 'm1', 'm2'),
    )
    const before = first.store.query(tables.conversations.select('id', 'messageCount').orderBy('id', 'asc'))
    expect(before).toEqual([
      { id: 'c1', messageCount: 2 },
      { id: 'c2', messageCount: 2 },
    ])
    await first.shutdown()
    const storeDir = join(dir, 'message-count')
    const stateFiles = readdirSync(storeDir).filter((name) => /^state.*\.db/.test(name))
    expect(stateFiles.length).toBeGreaterThan(0)
    for (const name of stateFiles) rmSync(join(storeDir, name))
    const { store: again } = await openStore(dir)
    expect(again.query(tables.conversations.select('id', 'messageCount').orderBy('id', 'asc'))).toEqual(
      before,
    )
    expect(again.query(tables.messageKeys.count())).toBe(4)
  })
})
