/**
 * The top-level fields of the first elements of a JSON array, from the first bytes of its file. Telling which
 * assistant wrote a task needs a key or two of its first messages, and those files can be hundreds of MB (a
 * pasted image is base64 inside the very first message), so this reads a fixed number of bytes and never parses a
 * whole element: it scans the bytes, keeping the keys of each element object and its short string values. An
 * element cut off by the end of the head keeps the fields read so far.
 */
import { constants } from 'node:fs'
import { open } from 'node:fs/promises'

export const HEAD_BYTES = 64 * 1024

/** Longer strings are neither keys nor values worth telling a format by. */
const MAX_STRING_BYTES = 256

export interface HeadElement {
  readonly keys: ReadonlySet<string>
  /** Top-level string values, by key (only those up to MAX_STRING_BYTES). */
  readonly strings: ReadonlyMap<string, string>
}

const QUOTE = 0x22
const BACKSLASH = 0x5c

function decoded(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (end - start > MAX_STRING_BYTES) return undefined
  try {
    return JSON.parse(`"${Buffer.from(bytes.subarray(start, end)).toString('utf8')}"`) as string
  } catch {
    return undefined
  }
}

/** The elements that start within `bytes`, in order; nothing when the bytes do not start an array. */
export function headElements(bytes: Uint8Array): HeadElement[] {
  const elements: HeadElement[] = []
  let depth = 0 // 1 inside the array, 2 inside one of its elements
  let current: { keys: Set<string>; strings: Map<string, string> } | undefined // an element that is an object
  let expectKey = false
  let key: string | undefined // the key whose value comes next
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number
    if (c === QUOTE) {
      const start = i + 1
      for (i = start; i < bytes.length && bytes[i] !== QUOTE; i++) if (bytes[i] === BACKSLASH) i++
      if (i >= bytes.length) break // the head ends inside this string
      if (depth !== 2 || !current) continue
      const text = decoded(bytes, start, i)
      if (expectKey) {
        key = text
        if (text !== undefined) current.keys.add(text)
        expectKey = false
      } else if (key !== undefined) {
        if (text !== undefined) current.strings.set(key, text)
        key = undefined
      }
    } else if (depth === 0) {
      if (c === 0x5b) depth = 1
      // Anything but white space or a byte order mark before the `[`: not an array.
      else if (c > 0x20 && c !== 0xef && c !== 0xbb && c !== 0xbf) return []
    } else if (c === 0x7b || c === 0x5b) {
      depth++
      key = undefined
      if (depth === 2) {
        current = c === 0x7b ? { keys: new Set(), strings: new Map() } : undefined
        if (current) elements.push(current)
        expectKey = true
      }
    } else if (c === 0x7d || c === 0x5d) {
      if (depth === 1) break // the array's own end
      depth--
    } else if (c === 0x2c && depth === 2) {
      expectKey = true
      key = undefined
    }
  }
  return elements
}

/** The first elements of the array in `path`; nothing for a file that cannot be opened (its read reports why). */
export async function readHeadElements(path: string, bytes = HEAD_BYTES): Promise<HeadElement[]> {
  try {
    // O_NOFOLLOW as in the reads: a linked file is refused there, and tells nothing here.
    const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
    try {
      const buffer = Buffer.alloc(bytes)
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0)
      return headElements(buffer.subarray(0, bytesRead))
    } finally {
      await handle.close()
    }
  } catch {
    return []
  }
}
