/**
 * Pushes a hostile local program could send: batches that are not lists, 101 events, and events whose every field
 * and every argument takes every odd value. Each is made when it is sent, from the hub's head at that moment, so
 * the head check passes and what is tried is the hub's judgement of the content (what it stores, a bad event
 * stops every client that replays the eventlog).
 */
import {
  event,
  freshIds,
  obj,
  ODD_VALUES,
  pull,
  push,
  starredArgs,
  str,
  type FrameContext,
  type Input,
  type Json,
} from './adversarial-frames'

/** A push frame for the hub as it is now, under request id `id`. */
type Make = (ctx: FrameContext, id: string) => string

const EVENT_FIELDS = ['name', 'args', 'seqNum', 'parentSeqNum', 'clientId', 'sessionId']
const ARG_FIELDS = ['at', 'deviceId', 'actor', 'origin', 'conversationId', 'sqlSeq']
const NAMES = [
  'v1.Nope',
  'v0.ConversationStarred',
  '__proto__',
  'constructor',
  'v1.DeviceRenamed',
  'v1.HubReset',
]

const one =
  (fields: (ctx: FrameContext) => Record<string, Json>): Make =>
  (ctx, id) =>
    push(ctx, id, `[${event(ctx, 0, fields(ctx))}]`)

const odd = (slot: string, make: (json: Json) => Make) =>
  ODD_VALUES.map(({ label, json }) => ({ label: `${slot} = ${label}`, make: make(json) }))

/** Numbers the schema's `Schema.Number` takes and a SQLite INTEGER column of the state does not. */
const ODD_NUMBERS: readonly [string, string][] = [
  ['0.5', '0.5'],
  ['1e308', '1e308'],
  ['-1e308', '-1e308'],
  ['2^53+1', '9007199254740993'],
]
const CONVERSATION_NUMBERS = [
  'createdAt',
  'updatedAt',
  'lastActivityAt',
  'tokensIn',
  'tokensOut',
  'cacheWrites',
]

/** A conversation made in Chronicle (as `newChronicleConversation` makes it), with fields replaced. */
const conversation = (id: string, fields: Record<string, Json>) =>
  obj({
    id: str(id),
    source: str('chronicle'),
    sourceId: str(id),
    title: str('Fuzz'),
    workspace: 'null',
    model: 'null',
    createdAt: '1000',
    updatedAt: '1000',
    lastActivityAt: '1000',
    tokensIn: '0',
    tokensOut: '0',
    cacheReads: '0',
    cacheWrites: '0',
    cost: '0',
    parentId: 'null',
    ...fields,
  })

const CATALOGUE: readonly { readonly label: string; readonly make: Make }[] = [
  { label: 'a valid push', make: one(() => ({})) },
  {
    label: 'a push and a pull with one id',
    make: (ctx, id) => `[${pull(ctx, id, { live: 'true' })},${one(() => ({}))(ctx, id)}]`,
  },
  ...odd('Push batch', (json) => (ctx, id) => push(ctx, id, json)),
  ...odd('Push backendId', (json) => (ctx, id) => push(ctx, id, `[${event(ctx, 0)}]`, { backendId: json })),
  ...odd(
    'Push backendId value',
    (json) => (ctx, id) =>
      push(ctx, id, `[${event(ctx, 0)}]`, { backendId: obj({ _tag: str('Some'), value: json }) }),
  ),
  ...EVENT_FIELDS.flatMap((field) => odd(`event ${field}`, (json) => one(() => ({ [field]: json })))),
  ...ARG_FIELDS.flatMap((field) =>
    odd(`event args.${field}`, (json) => one((ctx) => ({ args: starredArgs(ctx, { [field]: json }) }))),
  ),
  {
    label: 'event args with a __proto__ key',
    make: one((ctx) => ({ args: starredArgs(ctx, { ['__proto__']: '{"x":1}' }) })),
  },
  {
    label: 'event args with an unknown field',
    make: one((ctx) => ({ args: starredArgs(ctx, { extra: '1' }) })),
  },
  ...NAMES.map((name) => ({ label: `event name ${name}`, make: one(() => ({ name: str(name) })) })),
  ...CONVERSATION_NUMBERS.flatMap((field) =>
    ODD_NUMBERS.map(([label, json]) => ({
      label: `v1.ConversationCreated with conversation.${field} = ${label}`,
      make: one((ctx) => ({
        name: str('v1.ConversationCreated'),
        args: obj({
          at: '1000',
          deviceId: str(ctx.deviceId),
          actor: str('user'),
          origin: str('ui'),
          conversation: conversation(`fuzz-${field}-${label}`, { [field]: json }),
        }),
      })),
    })),
  ),
  ...ODD_NUMBERS.map(([label, json]) => ({
    label: `v1.DeviceRegistered with at = ${label}`,
    make: one((ctx) => ({
      name: str('v1.DeviceRegistered'),
      args: obj({
        at: json,
        deviceId: str(ctx.deviceId),
        actor: str('user'),
        origin: str('ui'),
        name: str('Fuzz'),
        kind: str('web'),
        platform: str('linux'),
        appVersion: str('0'),
      }),
    })),
  })),
  {
    label: 'v1.DeviceRenamed with a number as name',
    make: one((ctx) => ({ name: str('v1.DeviceRenamed'), args: starredArgs(ctx, { name: '42' }) })),
  },
  { label: 'a negative seqNum', make: one(() => ({ seqNum: '-5', parentSeqNum: '-6' })) },
  { label: 'a seqNum far ahead', make: one(() => ({ seqNum: '1e15', parentSeqNum: '999999999999999' })) },
  {
    label: '101 events',
    make: (ctx, id) => push(ctx, id, `[${Array.from({ length: 101 }, (_, i) => event(ctx, i)).join(',')}]`),
  },
  {
    label: 'a batch of 10,000 bad events',
    make: (ctx, id) => push(ctx, id, `[${Array(10_000).fill('{"name":1}').join(',')}]`),
  },
]

/** The catalogue, each push made from `ctx()` as it is taken. */
export function* adversarialPushes(ctx: () => FrameContext): Generator<Input> {
  const id = freshIds('push')
  for (const { label, make } of CATALOGUE) {
    const answerTo = id()
    yield { label, data: make(ctx(), answerTo), answerTo }
  }
}
