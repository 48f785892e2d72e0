/**
 * Reads a JSONL file line by line with bounded memory. Not node:readline: readline assembles a whole line before
 * handing it over, so one 1 GB line (a pasted video, a runaway tool result) would be held in memory. Here a line
 * longer than `maxLineBytes` is dropped as it streams and reported by its size instead.
 */
import { createReadStream } from 'node:fs'

export type RawLine =
  | { readonly kind: 'line'; readonly text: string; readonly terminated: boolean }
  | { readonly kind: 'oversized'; readonly bytes: number }

const NEWLINE = 0x0a

export async function* readRawLines(
  path: string,
  maxLineBytes: number,
  chunkBytes = 1 << 20,
): AsyncGenerator<RawLine> {
  const stream = createReadStream(path, { highWaterMark: chunkBytes })
  let parts: Buffer[] = []
  let length = 0
  let oversized = false
  const take = (): RawLine | null => {
    const line: RawLine | null = oversized
      ? { kind: 'oversized', bytes: length }
      : length === 0
        ? null
        : { kind: 'line', text: Buffer.concat(parts, length).toString('utf8'), terminated: true }
    parts = []
    length = 0
    oversized = false
    return line
  }
  const append = (piece: Buffer) => {
    length += piece.length
    if (oversized) return
    if (length > maxLineBytes) {
      oversized = true
      parts = []
    } else {
      parts.push(piece)
    }
  }
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0
      // Splitting on the 0x0A byte is safe in UTF-8: no multi-byte sequence contains it.
      for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
        append(chunk.subarray(start, nl))
        start = nl + 1
        const line = take()
        if (line) yield line
      }
      if (start < chunk.length) append(chunk.subarray(start))
    }
    const last = take()
    if (last) yield last.kind === 'line' ? { ...last, terminated: false } : last
  } finally {
    stream.destroy()
  }
}

export type JsonLine =
  | { readonly kind: 'json'; readonly value: Record<string, unknown> }
  | { readonly kind: 'malformed' }
  /** The unterminated last line did not parse: the file is probably still being written. */
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'oversized'; readonly bytes: number }

/** Each non-blank line as a JSON object, or why it is not one. */
export async function* readJsonLines(
  path: string,
  maxLineBytes: number,
  chunkBytes?: number,
): AsyncGenerator<JsonLine> {
  for await (const raw of readRawLines(path, maxLineBytes, chunkBytes)) {
    if (raw.kind === 'oversized') {
      yield raw
      continue
    }
    const text = raw.text.trim()
    if (text === '') continue
    const value = parseObject(text)
    if (value) yield { kind: 'json', value }
    // Only a line that starts like a record can be a half-written one; anything else is junk.
    else if (!raw.terminated && text.startsWith('{')) yield { kind: 'incomplete' }
    else yield { kind: 'malformed' }
  }
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}
