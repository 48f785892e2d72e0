/**
 * Reads one JSON file of a unit and turns every way it can be bad into a UnitReadError with a reason a user can
 * act on. A file that stops in the middle of a value is most likely still being written by the assistant, so it is
 * reported as retryable instead of failed.
 */
import { constants } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import type { Stats } from 'node:fs'
import { UnitReadError } from '../../source-adapter'
import { reasonFor } from '../../file-errors'

/**
 * Files parsed whole (history items, task lists, metadata) stay small; past this one is refused rather than allowed
 * to exhaust memory. The message files are streamed instead and have their own, larger limit (json-array-file.ts).
 */
export const MAX_JSON_BYTES = 256 * 1024 * 1024

export interface JsonFile {
  readonly value: unknown
  readonly mtimeMs: number
}

/**
 * Opens a regular file of at most `maxBytes` and hands it to `read`, turning every failure into a UnitReadError.
 * The handle is closed afterwards, whatever happens.
 */
export async function withJsonFile<T>(
  path: string,
  maxBytes: number,
  read: (handle: FileHandle, info: Stats) => Promise<T>,
): Promise<T> {
  let handle: FileHandle
  try {
    // O_NOFOLLOW: a symlink inside a task folder could point anywhere; Windows has no such flag (undefined → 0).
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  } catch (error) {
    throw new UnitReadError(path, reasonFor(error))
  }
  try {
    const info = await handle.stat()
    if (info.isDirectory()) throw new UnitReadError(path, 'is a directory, not a file')
    if (!info.isFile()) throw new UnitReadError(path, 'is not a regular file')
    if (info.size > maxBytes) {
      const mb = (n: number) => Math.round(n / (1024 * 1024))
      throw new UnitReadError(
        path,
        `is ${mb(info.size)} MB, over the ${mb(maxBytes)} MB limit for one JSON file`,
      )
    }
    return await read(handle, info)
  } catch (error) {
    throw error instanceof UnitReadError ? error : new UnitReadError(path, reasonFor(error))
  } finally {
    await handle.close()
  }
}

export const readJsonFile = (path: string, maxBytes = MAX_JSON_BYTES): Promise<JsonFile> =>
  withJsonFile(path, maxBytes, async (handle, info) => ({
    value: parseJsonBytes(path, await handle.readFile()),
    mtimeMs: info.mtimeMs,
  }))

export function parseJsonBytes(path: string, bytes: Uint8Array): unknown {
  if (bytes.includes(0)) throw new UnitReadError(path, 'holds binary data, not JSON text')
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new UnitReadError(path, 'is not UTF-8 text')
  }
  if (text.trim() === '') throw new UnitReadError(path, 'is empty (probably still being written)', true)
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    if (endsAbruptly(text))
      throw new UnitReadError(path, 'ends abruptly (probably still being written)', true)
    throw new UnitReadError(
      path,
      `is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    )
  }
}

/** True when the text opens an array or object that is never closed, or stops inside a string. */
export function endsAbruptly(text: string): boolean {
  const start = text.trimStart()[0]
  if (start !== '[' && start !== '{') return false
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) depth++
    else if (c === 0x5d || c === 0x7d) {
      // Closed more than it opened: corrupt, not cut short.
      if (--depth < 0) return false
    }
  }
  return inString || depth > 0
}
