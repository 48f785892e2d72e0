/**
 * Reads a task's message file (api_conversation_history.json, ui_messages.json) one element at a time. Pasted
 * images make these files hundreds of MB of base64; parsed whole they would need a heap several times that. Each
 * element goes to the caller, which keeps only what it needs (a message with image references instead of bytes),
 * before the next one is parsed, so memory is bounded by the largest element, not the file.
 */
import type { FileHandle } from 'node:fs/promises'
import { EMPTY, jsonArrayEvents, type ArrayWording } from '../../json-array-stream'
import { UnitReadError } from '../../source-adapter'
import { withJsonFile } from './json-file'

/** Memory no longer grows with the file; this only stops a runaway file from being read for minutes. */
export const MAX_STREAMED_JSON_BYTES = 2 * 1024 * 1024 * 1024

const CHUNK_BYTES = 1024 * 1024

/**
 * Files up to this size are parsed whole: native JSON.parse is several times faster than the element stream, and
 * the heap it needs is bounded by this size. Larger files, and any file the fast path cannot read, are streamed
 * (which also gives the precise reason for a bad file).
 */
const WHOLE_PARSE_BYTES = 8 * 1024 * 1024

const wording: ArrayWording = {
  one: 'item',
  many: 'items',
  object: 'is not a JSON array',
  scalar: 'is not a JSON array',
}

/** Fresh buffers: the stream keeps views of the chunks an unfinished element spans. */
async function* chunksOf(handle: FileHandle): AsyncGenerator<Uint8Array> {
  for (let position = 0; ;) {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position)
    if (bytesRead === 0) return
    position += bytesRead
    yield buffer.subarray(0, bytesRead)
  }
}

/** The whole array when the file is small and valid; null sends the caller to the stream. */
async function parseWhole(handle: FileHandle, size: number): Promise<unknown[] | null> {
  const buffer = Buffer.allocUnsafe(size)
  const { bytesRead } = await handle.read(buffer, 0, size, 0)
  try {
    const value: unknown = JSON.parse(buffer.subarray(0, bytesRead).toString('utf8'))
    return Array.isArray(value) ? value : null
  } catch {
    return null
  }
}

export interface StreamedArray {
  readonly count: number
  readonly mtimeMs: number
}

/**
 * Hands every element of the JSON array in `path` to `visit`, in order. Any element that cannot be used fails the
 * whole file, as a whole-file parse would: a task with a hole in its history is not imported half.
 */
export const readJsonArrayItems = (
  path: string,
  visit: (item: unknown, index: number) => void,
  maxBytes = MAX_STREAMED_JSON_BYTES,
  maxElementBytes?: number,
): Promise<StreamedArray> =>
  withJsonFile(path, maxBytes, async (handle, info) => {
    if (info.size <= WHOLE_PARSE_BYTES && (maxElementBytes === undefined || info.size <= maxElementBytes)) {
      const items = await parseWhole(handle, info.size)
      if (items) {
        items.forEach((item, index) => visit(item, index))
        return { count: items.length, mtimeMs: info.mtimeMs }
      }
    }
    const events = jsonArrayEvents(chunksOf(handle), { maxElementBytes, wording })
    let count = 0
    for (;;) {
      const next = await events.next()
      if (next.done) {
        const end = next.value
        if (end.status === 'complete') return { count, mtimeMs: info.mtimeMs }
        if (end.status === 'corrupt') throw new UnitReadError(path, end.reason)
        // A file cut short is most likely still being written: read it again once it changes.
        const reason = end.reason === EMPTY ? EMPTY : 'ends abruptly (probably still being written)'
        throw new UnitReadError(path, reason, true)
      }
      const event = next.value
      if (event.kind === 'skipped')
        throw new UnitReadError(
          path,
          event.cause === 'too-large'
            ? `has item ${event.index}, which ${event.reason}`
            : `${event.reason} at item ${event.index}`,
        )
      visit(event.value, event.index)
      count++
    }
  })
