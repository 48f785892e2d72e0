/**
 * Where the last import of a session file stopped, so the next one reads only what was appended. Claude Code
 * only ever appends to a session file; anything else (the file rewritten, truncated, replaced by another with the
 * same name) is detected by comparing the bytes around the stopping point with hashes taken when it was read, and
 * then the file is read from the start.
 */
import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import { sessionStateFromJson, sessionStateToJson, type SessionState } from './session-state'

export interface SessionCheckpoint {
  /** Byte offset just past the last complete line that was read. */
  readonly offset: number
  /** SHA-256 of the first and of the last EDGE_BYTES bytes before `offset`. */
  readonly head: string
  readonly tail: string
  readonly state: SessionState
}

/** 2: usage keyed by message.id and requestId (1 keyed by message.id alone: read such a file from the start). */
const FORMAT = 2
const EDGE_BYTES = 4_096

export function encodeCheckpoint(checkpoint: SessionCheckpoint): string {
  const { offset, head, tail, state } = checkpoint
  return JSON.stringify({ format: FORMAT, offset, head, tail, state: sessionStateToJson(state) })
}

/** Null for anything but a checkpoint this version wrote: the caller then reads the file from the start. */
export function decodeCheckpoint(text: string | null): SessionCheckpoint | null {
  if (text === null) return null
  try {
    const json = JSON.parse(text) as Partial<Record<keyof SessionCheckpoint | 'format', unknown>>
    const state = sessionStateFromJson(json.state)
    const { offset, head, tail } = json
    if (json.format !== FORMAT || !state || typeof offset !== 'number') return null
    if (typeof head !== 'string' || typeof tail !== 'string') return null
    return { offset, head, tail, state }
  } catch {
    return null
  }
}

/** Hashes of the first and last EDGE_BYTES bytes of `path` before `offset`. */
export async function edgesOf(path: string, offset: number): Promise<{ head: string; tail: string }> {
  const file = await open(path, 'r')
  try {
    const read = async (from: number, length: number) => {
      const buffer = Buffer.alloc(length)
      const { bytesRead } = await file.read(buffer, 0, length, from)
      return createHash('sha256').update(buffer.subarray(0, bytesRead)).digest('hex')
    }
    const headLength = Math.min(EDGE_BYTES, offset)
    const tailStart = Math.max(0, offset - EDGE_BYTES)
    return { head: await read(0, headLength), tail: await read(tailStart, offset - tailStart) }
  } finally {
    await file.close()
  }
}

/** True when the file still starts with what was read and has not shrunk below where the reading stopped. */
export async function stillAppendOnly(
  path: string,
  size: number,
  checkpoint: SessionCheckpoint,
): Promise<boolean> {
  if (size < checkpoint.offset) return false
  const edges = await edgesOf(path, checkpoint.offset)
  return edges.head === checkpoint.head && edges.tail === checkpoint.tail
}
