/**
 * The frames of LiveStore's WebSocket sync protocol (Effect RPC, JSON serialisation) as the hub reads and writes
 * them. Everything read here came from a socket: nothing is assumed about its shape, and a value that is not what
 * the protocol says makes the frame unanswerable or the request failed, never an exception.
 */
import type { PullPage } from './hub'
import { syncMetadataOf, wireEvent, type GlobalEvent } from './hub-eventlog'

/** Request ids are Effect RPC's counters as strings; anything longer is not a client of ours. */
const MAX_REQUEST_ID_CHARS = 64
const MAX_EVENT_NAME_CHARS = 200

export type Frame = Readonly<Record<string, unknown>>

/** The frames of one WebSocket message (a frame or an array of them), or null when it is neither. */
export function framesOf(text: string): readonly Frame[] | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return null
  }
  const list = Array.isArray(parsed) ? parsed : [parsed]
  return list.every(isRecord) ? list : null
}

/** A request id as the protocol has it, or null (an id that is not a short string cannot be answered). */
export function requestIdOf(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_REQUEST_ID_CHARS ? value : null
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export const failExit = (requestId: string, error: Record<string, unknown>) => ({
  _tag: 'Exit',
  requestId,
  exit: { _tag: 'Failure', cause: { _tag: 'Fail', error } },
})

export const unknownError = (message: string) => ({
  _tag: 'UnknownError',
  cause: { name: 'Error', message },
})

export const encodePage = (page: PullPage, backendId: string) => ({
  batch: page.events.map((event) => ({
    eventEncoded: wireEvent(event),
    metadata: { _tag: 'Some', value: syncMetadataOf(event) },
  })),
  pageInfo: page.remaining > 0 ? { _tag: 'MoreKnown', remaining: page.remaining } : { _tag: 'NoMore' },
  backendId,
})

/** Where a pull starts: after this sequence number, for this backend (Option-encoded by the client). */
export function pullCursorOf(
  payload: Record<string, unknown>,
): { from: number; backendId: string | null } | { problem: string } {
  const cursor = payload.cursor
  if (cursor === undefined || (isRecord(cursor) && cursor._tag === 'None'))
    return { from: 0, backendId: null }
  if (!isRecord(cursor) || cursor._tag !== 'Some' || !isRecord(cursor.value))
    return { problem: 'the pull cursor is not a cursor' }
  const from = cursor.value.eventSequenceNumber
  if (typeof from !== 'number' || !Number.isSafeInteger(from) || from < 0)
    return { problem: 'the pull cursor is not a sequence number' }
  const backendId = cursor.value.backendId
  if (typeof backendId !== 'string') return { problem: 'the pull cursor names no backend' }
  return { from, backendId }
}

/** The backend id a push says its client last synced with (Option-encoded), if it says one. */
export function pushBackendIdOf(payload: Record<string, unknown>): string | undefined {
  const backendId = payload.backendId
  return isRecord(backendId) && backendId._tag === 'Some' && typeof backendId.value === 'string'
    ? backendId.value
    : undefined
}

export function isGlobalEvent(value: unknown): value is GlobalEvent {
  if (!isRecord(value)) return false
  return (
    typeof value.name === 'string' &&
    value.name.length <= MAX_EVENT_NAME_CHARS &&
    Number.isSafeInteger(value.seqNum) &&
    Number.isSafeInteger(value.parentSeqNum) &&
    typeof value.clientId === 'string' &&
    value.clientId.length <= MAX_REQUEST_ID_CHARS &&
    typeof value.sessionId === 'string' &&
    value.sessionId.length <= MAX_REQUEST_ID_CHARS
  )
}
