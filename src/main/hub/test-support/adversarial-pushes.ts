/**
 * Pushes a hostile local program could send: batches that are not lists, 101 events, and events whose every field
 * and every argument takes every odd value. Each is made when it is sent, from the hub's head at that moment, so
 * the head check passes and what is tried is the hub's judgement of the content (what it stores, a bad event
 * stops every client that replays the eventlog).
 */
import {
  event,
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

type Make = (ctx: FrameContext) => string

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
  (ctx) =>
    push(ctx, 'p', `[${event(ctx, 0, fields(ctx))}]`)

const odd = (slot: string, make: (json: Json) => Make) =>
  ODD_VALUES.map(({ label, json }) => ({ label: `${slot} = ${label}`, make: make(json) }))

const CATALOGUE: readonly { readonly label: string; readonly make: Make }[] = [
  { label: 'a valid push', make: one(() => ({})) },
  {
    label: 'a push and a pull with one id',
    make: (ctx) => `[${pull(ctx, 'p', { live: 'true' })},${one(() => ({}))(ctx)}]`,
  },
  ...odd('Push batch', (json) => (ctx) => push(ctx, 'p', json)),
  ...odd('Push backendId', (json) => (ctx) => push(ctx, 'p', `[${event(ctx, 0)}]`, { backendId: json })),
  ...odd(
    'Push backendId value',
    (json) => (ctx) =>
      push(ctx, 'p', `[${event(ctx, 0)}]`, { backendId: obj({ _tag: str('Some'), value: json }) }),
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
  {
    label: 'v1.DeviceRenamed with a number as name',
    make: one((ctx) => ({ name: str('v1.DeviceRenamed'), args: starredArgs(ctx, { name: '42' }) })),
  },
  { label: 'a negative seqNum', make: one(() => ({ seqNum: '-5', parentSeqNum: '-6' })) },
  { label: 'a seqNum far ahead', make: one(() => ({ seqNum: '1e15', parentSeqNum: '999999999999999' })) },
  {
    label: '101 events',
    make: (ctx) => push(ctx, 'p', `[${Array.from({ length: 101 }, (_, i) => event(ctx, i)).join(',')}]`),
  },
  {
    label: 'a batch of 10,000 bad events',
    make: (ctx) => push(ctx, 'p', `[${Array(10_000).fill('{"name":1}').join(',')}]`),
  },
]

/** The catalogue, each push made from `ctx()` as it is taken. */
export function* adversarialPushes(ctx: () => FrameContext): Generator<Input> {
  for (const { label, make } of CATALOGUE) yield { label, data: make(ctx()) }
}
