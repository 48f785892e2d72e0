/**
 * Reads a JSONL file line by line with bounded memory. Not node:readline: readline assembles a whole line before
 * handing it over, so one 1 GB line (a pasted video, a runaway tool result) would be held in memory. Here a line
 * longer than `maxLineBytes` is dropped as it streams and reported by its size instead.
 */
import { createReadStream } from 'node:fs'

/** `end` is the byte offset just past the line (past its newline when terminated): where reading can go on. */
export type RawLine = (
  { readonly kind: 'line'; readonly text: string } | { readonly kind: 'oversized'; readonly bytes: number }
) & { readonly terminated: boolean; readonly end: number }

const NEWLINE = 0x0a

export async function* readRawLines(
  path: string,
  maxLineBytes: number,
  chunkBytes = 1 << 20,
  start = 0,
): AsyncGenerator<RawLine> {
  const stream = createReadStream(path, { highWaterMark: chunkBytes, start })
  let parts: Buffer[] = []
  let length = 0
  let oversized = false
  let position = start
  const take = (end: number): RawLine | null => {
    const line: RawLine | null = oversized
      ? { kind: 'oversized', bytes: length, terminated: true, end }
      : length === 0
        ? null
        : { kind: 'line', text: Buffer.concat(parts, length).toString('utf8'), terminated: true, end }
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
        const line = take(position + start)
        if (line) yield line
      }
      if (start < chunk.length) append(chunk.subarray(start))
      position += chunk.length
    }
    const last = take(position)
    if (last) yield { ...last, terminated: false }
  } finally {
    stream.destroy()
  }
}

/** `terminated` is false for a last line without its newline, which the writer may not have finished. */
export type JsonLine = (
  | { readonly kind: 'json'; readonly value: Record<string, unknown> }
  | { readonly kind: 'malformed' }
  /** The unterminated last line did not parse: the file is probably still being written. */
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'oversized'; readonly bytes: number }
) & { readonly end: number; readonly terminated: boolean }

/** Each non-blank line from byte `start` on, as a JSON object, or why it is not one. */
export async function* readJsonLines(
  path: string,
  maxLineBytes: number,
  chunkBytes?: number,
  start?: number,
): AsyncGenerator<JsonLine> {
  for await (const raw of readRawLines(path, maxLineBytes, chunkBytes, start)) {
    if (raw.kind === 'oversized') {
      yield raw
      continue
    }
    const { end, terminated } = raw
    const text = raw.text.trim()
    if (text === '') continue
    const value = parseObject(text)
    if (value) yield { kind: 'json', value, end, terminated }
    // Only a line that starts like a record can be a half-written one; anything else is junk.
    else if (!terminated && text.startsWith('{')) yield { kind: 'incomplete', end, terminated }
    else yield { kind: 'malformed', end, terminated }
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
