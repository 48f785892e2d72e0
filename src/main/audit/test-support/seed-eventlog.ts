/**
 * A hub eventlog with one of every kind of event, from two devices, appended through the real hub eventlog onto
 * a real repository file. The content is awkward on purpose: a title with a comma, quotes and a line break, and
 * message previews that hold an API key and a GitHub token.
 */
import { hostIdentity } from '../../hub/hub-credentials'
import { events } from '../../../shared/livestore/events'
import type { EventMeta } from '../../../shared/livestore/event-meta'
import { openHubEventlog, type GlobalEvent } from '../../hub/hub-eventlog'
import type { Repository } from '../../repository/repository'

export const LAPTOP = 'device-laptop-0001'
export const SERVER = 'device-server-0002'
export const CONVERSATION = 'claude-code:0b1c-pool'
export const OTHER_CONVERSATION = 'roo:task-42'
export const AWKWARD_TITLE = 'Fix the "pool", then\nrelease v2, quickly'
export const OPENAI_KEY = 'sk-proj-Abc123Def456Ghi789Jkl012Mno345Pqr678'
export const GITHUB_TOKEN = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'
/** 2025-01-01T00:00:00Z; each event is a minute after the one before. */
export const START = Date.UTC(2025, 0, 1)

const conversation = (id: string, title: string, at: number) => ({
  id,
  source: 'claude-code' as const,
  sourceId: id.split(':')[1] ?? id,
  title,
  workspace: '/home/dain/pool',
  model: 'claude-sonnet-4',
  createdAt: at,
  updatedAt: at,
  lastActivityAt: at,
  tokensIn: 1200,
  tokensOut: 340,
  cacheReads: 0,
  cacheWrites: 0,
  cost: 0.0123,
  parentId: null,
})

const message = (id: string, ordinal: number, preview: string, text?: string) => ({
  id,
  ordinal,
  role: ordinal % 2 === 0 ? ('user' as const) : ('assistant' as const),
  kind: 'text' as const,
  createdAt: START + ordinal,
  preview,
  ...(text !== undefined && { text }),
})

/** A public signing key as a registration records it. */
export interface RegisteredKey {
  readonly publicKey: string
  readonly fingerprint: string
}

/** The events, in order; `at` rises by a minute each. The laptop registers `laptopKey`, if given. */
export function sampleEvents(laptopKey?: RegisteredKey): { name: string; args: unknown }[] {
  let minute = 0
  const meta = (deviceId: string, origin: EventMeta['origin'] = 'ui'): EventMeta => ({
    at: START + 60_000 * minute++,
    deviceId,
    actor: origin === 'import' ? 'importer' : 'user',
    origin,
  })
  return [
    events.deviceRegistered({
      ...meta(LAPTOP),
      name: "Dain's laptop",
      kind: 'desktop',
      platform: 'linux',
      appVersion: '0.1.0',
      ...(laptopKey && {
        signingKey: { publicKey: laptopKey.publicKey, fingerprint: laptopKey.fingerprint },
      }),
    }),
    events.deviceRegistered({
      ...meta(SERVER),
      name: 'build-box',
      kind: 'web',
      platform: 'linux',
      appVersion: '0.1.0',
    }),
    events.importStarted({
      ...meta(LAPTOP, 'import'),
      importId: 'import-1',
      roots: ['/home/dain/.claude/projects'],
    }),
    events.conversationImported({
      ...meta(LAPTOP, 'import'),
      conversation: conversation(CONVERSATION, AWKWARD_TITLE, START),
    }),
    events.messagesAppended({
      ...meta(LAPTOP, 'import'),
      conversationId: CONVERSATION,
      messages: [
        message('m1', 0, `export OPENAI_API_KEY=${OPENAI_KEY}`),
        message('m2', 1, 'Done: the pool now, "waits", for idle connections'),
        message(
          'm3',
          2,
          `git remote set-url origin https://${GITHUB_TOKEN}@github.com/x/y`,
          `full text with ${GITHUB_TOKEN}`,
        ),
      ],
    }),
    events.importFinished({
      ...meta(LAPTOP, 'import'),
      importId: 'import-1',
      conversations: { added: 1, updated: 0, unchanged: 0, removed: 0 },
      messages: { added: 3, updated: 0, unchanged: 0, removed: 0 },
      problems: 0,
    }),
    events.conversationImported({
      ...meta(SERVER, 'import'),
      conversation: conversation(OTHER_CONVERSATION, 'Second task', START),
    }),
    events.conversationRenamed({ ...meta(LAPTOP), conversationId: CONVERSATION, title: 'Pool fix, "final"' }),
    events.conversationStarred({ ...meta(SERVER), conversationId: CONVERSATION }),
    events.conversationTagged({ ...meta(LAPTOP), conversationId: CONVERSATION, tags: ['db', 'urgent'] }),
    events.deviceConnected({ ...meta(LAPTOP, 'sync'), connectedDeviceId: SERVER, clientId: 'server-main' }),
    events.messagesUpdated({
      ...meta(SERVER, 'sql'),
      conversationId: CONVERSATION,
      messages: [message('m2', 1, 'Done (edited)')],
    }),
    events.conversationArchived({ ...meta(SERVER), conversationId: OTHER_CONVERSATION }),
    events.conversationDeleted({ ...meta(LAPTOP), conversationId: OTHER_CONVERSATION }),
    events.conversationRestored({ ...meta(LAPTOP), conversationId: OTHER_CONVERSATION }),
    events.messagesDeleted({ ...meta(SERVER, 'sql'), conversationId: CONVERSATION, ids: ['m3'] }),
    events.deviceRenamed({ ...meta(SERVER), name: 'build box, rack 2' }),
    events.conversationUnstarred({ ...meta(SERVER), conversationId: CONVERSATION }),
    events.conversationUnarchived({ ...meta(SERVER), conversationId: OTHER_CONVERSATION }),
    events.deviceDisconnected({
      ...meta(LAPTOP, 'sync'),
      connectedDeviceId: SERVER,
      clientId: 'server-main',
    }),
    events.conversationCreated({
      ...meta(LAPTOP),
      conversation: conversation('chronicle:note-1', 'Notes', START),
    }),
    events.conversationPurged({ ...meta(SERVER, 'sql'), conversationId: OTHER_CONVERSATION }),
    events.pricesChanged({
      ...meta(LAPTOP),
      source: '/home/dain/Downloads/model_prices_and_context_window.json',
      date: '2026-11-20',
      sha256: 'a'.repeat(64),
      models: 1_204,
    }),
    events.bodiesPacked({
      ...meta(LAPTOP, 'sync'),
      packAddress: 'b'.repeat(64),
      bodies: [{ messageId: `${CONVERSATION}#0`, bodyAddress: 'c'.repeat(64), offset: 49, length: 120 }],
    }),
    events.remoteEventRefused({
      at: START,
      deviceId: '',
      actor: 'relay',
      origin: 'sync',
      refusedName: 'v1.ConversationRenamed',
      reason: 'event 9 (v1.ConversationRenamed) from the remote: its signature does not hold',
    }),
  ].map((e) => ({ name: e.name, args: e.args }))
}

/**
 * Appends `times` rounds of the sample events (each round a batch per 100 events), returns the head. With
 * `laptopKey` (the data directory's signing key), the laptop's registrations record it, as the app's do.
 */
export async function seedEventlog(
  repository: Repository,
  times = 1,
  laptopKey?: RegisteredKey,
): Promise<number> {
  const log = await openHubEventlog(repository.db, () => START + 3_600_000)
  const all = Array.from({ length: times }, () => sampleEvents(laptopKey)).flat()
  let head = await log.head()
  for (let i = 0; i < all.length; i += 100) {
    const batch: GlobalEvent[] = all.slice(i, i + 100).map((e, j) => ({
      ...e,
      seqNum: head + j + 1,
      parentSeqNum: head + j,
      clientId: 'laptop-main',
      sessionId: 'session-1',
    }))
    const outcome = await log.append(batch, hostIdentity(LAPTOP))
    if (outcome.kind !== 'appended') throw new Error(`seeding failed: ${JSON.stringify(outcome)}`)
    head = outcome.head
  }
  return head
}
