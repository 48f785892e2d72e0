/**
 * One simulated device: a real LiveStore client (adapter-node, its own files, LiveStore's WebSocket client) that
 * connects to the running hub, registers itself, adds messages and renames conversations at a steady rate, and
 * now and then drops offline (its store closes: the hub sees it leave) and comes back.
 */
import { makeWsSync } from '@livestore/sync-cf/client'
import { platform } from 'node:os'
import { newChronicleConversation } from '../../shared/livestore/events'
import { events, tables } from '../../shared/livestore/schema'
import { previewOf } from '../bridge/events-from-changes'
import { appVersion } from '../app-version'
import { openChronicleStore, type ChronicleStore } from '../livestore/chronicle-store'
import type { HubAddress } from '../sync/hub-address'

export interface SimulatedDeviceOptions {
  readonly dataDir: string
  readonly hub: HubAddress
  readonly index: number
  /** Actions per second. */
  readonly rate: number
  readonly random?: () => number
  readonly onAction?: (device: string, action: string) => void
}

export interface SimulatedDevice {
  readonly id: string
  readonly name: string
  readonly online: () => boolean
  stop(): Promise<void>
}

const WORDS = ['sync', 'hub', 'bridge', 'search', 'import', 'review', 'refactor', 'tests', 'docs', 'release']

export async function startSimulatedDevice(options: SimulatedDeviceOptions): Promise<SimulatedDevice> {
  const random = options.random ?? Math.random
  const id = `simulated-${options.index + 1}`
  const name = `Simulated device ${options.index + 1}`
  const open = () =>
    openChronicleStore({
      dataDir: options.dataDir,
      clientId: id,
      folder: `simulator/${id}`,
      backend: makeWsSync({ url: options.hub.url }),
      syncPayload: { authToken: options.hub.token, deviceId: id, deviceName: name, clientKind: 'simulator' },
    })
  let store: ChronicleStore | null = await open()
  let stopped = false
  const meta = () => ({ at: Date.now(), deviceId: id, actor: 'simulator', origin: 'sync' as const })
  await store.commit([
    events.deviceRegistered({
      ...meta(),
      name,
      kind: 'simulator',
      platform: platform(),
      appVersion: appVersion(),
    }),
  ])

  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)]
  const phrase = () => Array.from({ length: 3 + Math.floor(random() * 5) }, () => pick(WORDS)).join(' ')

  const act = async (current: ChronicleStore) => {
    const conversations = current.store.query(
      tables.conversations.select('id', 'messageCount').where({ deletedAt: null }),
    )
    const target = pick(conversations)
    if (!target || random() < 0.05) {
      const conversationId = `chronicle:${id}-${Date.now().toString(36)}`
      const at = Date.now()
      await current.commit([
        events.conversationCreated({
          ...meta(),
          conversation: newChronicleConversation(conversationId, `Notes on ${phrase()}`, at),
        }),
      ])
      return 'created a conversation'
    }
    if (random() < 0.2) {
      await current.commit([
        events.conversationRenamed({
          ...meta(),
          conversationId: target.id,
          title: `About ${phrase()}`,
          seen: await current.seen(),
        }),
      ])
      return `renamed ${target.id}`
    }
    const text = `From ${name}: ${phrase()}.`
    const ordinal = target.messageCount
    await current.commit([
      events.messagesAppended({
        ...meta(),
        conversationId: target.id,
        messages: [
          {
            id: `${target.id}#${id}-${Date.now().toString(36)}`,
            ordinal,
            role: 'user',
            kind: 'text',
            createdAt: Date.now(),
            preview: previewOf(text),
            text,
          },
        ],
      }),
    ])
    return `added a message to ${target.id}`
  }

  const loop = async () => {
    while (!stopped) {
      await sleep((1_000 / options.rate) * (0.5 + random()))
      if (stopped) break
      if (store && random() < 0.02) {
        // Offline for a few seconds: the store closes (after persisting), the hub sees the device leave.
        const closing = store
        store = null
        await closing.shutdown()
        options.onAction?.(name, 'went offline')
        await sleep(2_000 + random() * 4_000)
        if (stopped) break
        store = await open()
        options.onAction?.(name, 'came back online')
        continue
      }
      if (store) options.onAction?.(name, await act(store))
    }
  }
  const running = loop().catch((error: unknown) => options.onAction?.(name, `failed: ${String(error)}`))

  return {
    id,
    name,
    online: () => store !== null,
    async stop() {
      stopped = true
      await running
      await store?.shutdown()
      store = null
    },
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
