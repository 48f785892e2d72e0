/**
 * Frames a hostile local program could send on the hub's WebSocket after a good handshake (the protocol is in
 * ws-sync-server.ts): a labelled catalogue that puts a value of every JSON type and of every shape that breaks
 * naive code (objects whose String() throws, nestings deep enough to overflow a recursive walk, 1e308, "NaN",
 * `__proto__` keys) into every field the hub reads, plus seeded random frames. Frames are JSON text built by hand,
 * so nestings far deeper than JSON.stringify can write are possible.
 */
import { pick, type Rng } from './fuzz-random'

export interface Input {
  readonly label: string
  readonly data: string
  /** The request id the hub must answer (with a chunk or an exit, failed or not), if the frame is a request. */
  readonly answerTo?: string
}

/** What a frame needs to get past the first checks: the store, the hub's backend and head, who the client is. */
export interface FrameContext {
  readonly storeId: string
  readonly backendId: string
  readonly head: number
  readonly deviceId: string
  readonly clientId: string
}

export type Json = string | undefined

const deep = (depth: number, open: string, inner: string, close: string) =>
  open.repeat(depth) + inner + close.repeat(depth)

/** A JSON value of every type and the shapes that break naive handlers; `undefined` leaves the field out. */
export const ODD_VALUES: readonly { readonly label: string; readonly json: Json }[] = [
  { label: 'missing', json: undefined },
  { label: 'null', json: 'null' },
  { label: 'true', json: 'true' },
  { label: '0', json: '0' },
  { label: '-1', json: '-1' },
  { label: '0.5', json: '0.5' },
  { label: '1e308', json: '1e308' },
  { label: '-1e308', json: '-1e308' },
  { label: '2^53+1', json: '9007199254740993' },
  { label: '"NaN"', json: '"NaN"' },
  { label: '"-1"', json: '"-1"' },
  { label: 'empty string', json: '""' },
  { label: '"é"×32', json: JSON.stringify('é'.repeat(32)) },
  { label: 'lone surrogate', json: '"\\ud800"' },
  { label: 'NUL string', json: '"\\u0000"' },
  { label: '64 KB string', json: JSON.stringify('x'.repeat(65_536)) },
  { label: 'empty array', json: '[]' },
  { label: 'mixed array', json: '[1,"a",null,{}]' },
  { label: 'empty object', json: '{}' },
  { label: 'object whose String() throws', json: '{"toString":1}' },
  { label: 'object with null toString and valueOf', json: '{"toString":null,"valueOf":null}' },
  { label: '__proto__ key', json: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}' },
  { label: 'array nested 50,000 deep', json: deep(50_000, '[', '', ']') },
  { label: 'object nested 50,000 deep', json: deep(50_000, '{"a":', '1', '}') },
]

/** A JSON object's text from fields whose values are JSON texts; an undefined value leaves the field out. */
export const obj = (fields: Record<string, Json>): string =>
  `{${Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${JSON.stringify(key)}:${value as string}`)
    .join(',')}}`

export const str = (value: string) => JSON.stringify(value)

export const ping = obj({ _tag: str('Ping') })

export const request = (id: Json, tag: Json, payload: Json) =>
  obj({ _tag: str('Request'), id, tag, payload, headers: '[]' })

export const pullPayload = (ctx: FrameContext, fields: Record<string, Json> = {}) =>
  obj({ storeId: str(ctx.storeId), cursor: obj({ _tag: str('None') }), live: 'false', ...fields })

/** A pull from `seq` of this hub's backend: LiveStore's cursor after it has synced once. */
export const cursorAt = (ctx: FrameContext, seq: Json, backendId: Json = str(ctx.backendId)) =>
  obj({ _tag: str('Some'), value: obj({ backendId, eventSequenceNumber: seq }) })

/** Args the schema accepts for `v1.ConversationStarred` from this device. */
export const starredArgs = (ctx: FrameContext, fields: Record<string, Json> = {}) =>
  obj({
    at: '1000',
    deviceId: str(ctx.deviceId),
    actor: str('user'),
    origin: str('ui'),
    conversationId: str('fuzz-conversation'),
    ...fields,
  })

/** The event that would extend the head by `offset + 1`, with any field replaced. */
export const event = (ctx: FrameContext, offset: number, fields: Record<string, Json> = {}) =>
  obj({
    name: str('v1.ConversationStarred'),
    args: starredArgs(ctx),
    seqNum: String(ctx.head + offset + 1),
    parentSeqNum: String(ctx.head + offset),
    clientId: str(ctx.clientId),
    sessionId: str('fuzz-session'),
    ...fields,
  })

export const push = (ctx: FrameContext, id: string, batch: Json, fields: Record<string, Json> = {}) =>
  request(
    str(id),
    str('SyncWsRpc.Push'),
    obj({ storeId: str(ctx.storeId), batch, backendId: obj({ _tag: str('None') }), ...fields }),
  )

export const pull = (ctx: FrameContext, id: string, fields: Record<string, Json> = {}) =>
  request(str(id), str('SyncWsRpc.Pull'), pullPayload(ctx, fields))

/** Every odd value in one field of a frame. */
export const everyOdd = (slot: string, frame: (json: Json) => string): Input[] =>
  ODD_VALUES.map(({ label, json }) => ({ label: `${slot} = ${label}`, data: frame(json) }))

/** Request ids used once, so each answer names its request. */
export function freshIds(prefix: string): () => string {
  let next = 0
  return () => `${prefix}${(next += 1)}`
}

/** Every odd value in one field of a request with a fresh id, which the hub must answer. */
export const everyOddAsked = (slot: string, id: () => string, frame: (json: Json, id: string) => string) =>
  ODD_VALUES.map(({ label, json }): Input => {
    const answerTo = id()
    return { label: `${slot} = ${label}`, data: frame(json, answerTo), answerTo }
  })

/** A request id as the protocol has it (a string of 1 to 64 characters) or undefined. */
const requestIdIn = (json: Json): string | undefined => {
  const value: unknown = json === undefined ? undefined : JSON.parse(json)
  return typeof value === 'string' && value.length > 0 && value.length <= 64 ? value : undefined
}

/** Frames other than pushes (adversarial-pushes.ts), each field of each frame given every odd value. */
export function adversarialFrames(ctx: FrameContext): Input[] {
  const s = str
  const id = freshIds('f')
  return [
    ...['', '{', 'nul', '\u0000', '[1,', '{"_tag":"Ping"', '\ud800', '{"_tag":"Ping"}x'].map((data) => ({
      label: `not JSON: ${JSON.stringify(data)}`,
      data,
    })),
    ...everyOdd('the whole frame', (json) => json ?? ''),
    { label: 'an array of frames', data: `[${ping},${ping},1,null,"x",[]]` },
    { label: 'an array of 50,000 pings', data: `[${Array(50_000).fill(ping).join(',')}]` },
    { label: 'an array of 300,000 nulls', data: `[${Array(300_000).fill('null').join(',')}]` },
    ...everyOdd('_tag', (json) => obj({ _tag: json })),
    {
      label: '_tag Pong, Chunk and Exit (the hub’s own)',
      data: `[{"_tag":"Pong"},{"_tag":"Chunk"},{"_tag":"Exit"}]`,
    },
    ...everyOdd('Ack requestId', (json) => obj({ _tag: s('Ack'), requestId: json })),
    ...everyOdd('Interrupt requestId', (json) => obj({ _tag: s('Interrupt'), requestId: json })),
    ...ODD_VALUES.map(({ label, json }): Input => ({
      label: `Request id = ${label}`,
      data: request(json, s('SyncWsRpc.Pull'), pullPayload(ctx)),
      answerTo: requestIdIn(json),
    })),
    ...everyOddAsked('Request tag', id, (json, t) => request(s(t), json, pullPayload(ctx))),
    ...everyOddAsked('Request payload', id, (json, t) => request(s(t), s('SyncWsRpc.Pull'), json)),
    ...everyOddAsked('payload storeId', id, (json, t) => pull(ctx, t, { storeId: json })),
    ...everyOddAsked('Pull cursor', id, (json, t) => pull(ctx, t, { cursor: json })),
    ...everyOddAsked('Pull cursor value', id, (json, t) =>
      pull(ctx, t, { cursor: obj({ _tag: s('Some'), value: json }) }),
    ),
    ...everyOddAsked('Pull cursor backendId', id, (json, t) =>
      pull(ctx, t, { cursor: cursorAt(ctx, '0', json) }),
    ),
    ...everyOddAsked('Pull cursor seqNum', id, (json, t) => pull(ctx, t, { cursor: cursorAt(ctx, json) })),
    ...everyOddAsked('Pull live', id, (json, t) => pull(ctx, t, { live: json })),
    {
      label: 'two live pulls with one id',
      data: `[${pull(ctx, 'dup', { live: 'true' })},${pull(ctx, 'dup', { live: 'true' })}]`,
    },
  ]
}

/** A catalogue frame with one field drawn at random, a random JSON tree, or a good frame cut or bit-flipped. */
export function randomFrame(rng: Rng, ctx: FrameContext): Input {
  const odd = () => pick(rng, ODD_VALUES).json
  const id = pick(rng, ['a', 'b', 'c', '1'])
  const templates: (() => string)[] = [
    () => pull(ctx, id, { live: pick(rng, ['true', 'false', odd()]), cursor: cursorAt(ctx, odd()) }),
    () => push(ctx, id, `[${event(ctx, Math.floor(rng() * 3) - 1, { [pick(rng, EVENT_FIELDS)]: odd() })}]`),
    () =>
      obj({ _tag: s(pick(rng, ['Ack', 'Interrupt', 'Eof', 'Ping'])), requestId: pick(rng, [s(id), odd()]) }),
    () => request(pick(rng, [s(id), odd()]), s(pick(rng, ['SyncWsRpc.Pull', 'SyncWsRpc.Push'])), odd()),
    () => randomJson(rng, 5),
  ]
  const frame = pick(rng, templates)()
  const mutation = rng()
  if (mutation < 0.15)
    return { label: 'random frame, cut', data: frame.slice(0, Math.floor(rng() * frame.length)) }
  if (mutation < 0.3) {
    const at = Math.floor(rng() * frame.length)
    const flipped = String.fromCharCode(frame.charCodeAt(at) ^ (1 << Math.floor(rng() * 7)))
    return {
      label: 'random frame, one character flipped',
      data: frame.slice(0, at) + flipped + frame.slice(at + 1),
    }
  }
  return { label: 'random frame', data: frame }
}

const s = str
const EVENT_FIELDS = ['name', 'args', 'seqNum', 'parentSeqNum', 'clientId', 'sessionId']

function randomJson(rng: Rng, depth: number): string {
  const roll = rng()
  if (depth === 0 || roll < 0.3) return pick(rng, ODD_VALUES).json ?? 'null'
  const size = Math.floor(rng() * 4)
  const children = Array.from({ length: size }, () => randomJson(rng, depth - 1))
  if (roll < 0.6) return `[${children.join(',')}]`
  const keys = ['_tag', 'id', 'requestId', 'tag', 'payload', 'batch', 'cursor', '__proto__']
  return `{${children.map((child) => `${s(pick(rng, keys))}:${child}`).join(',')}}`
}
