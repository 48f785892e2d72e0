/**
 * Walks a top-level JSON array arriving in chunks and hands out one element at a time, so a file of hundreds of MB
 * (a ChatGPT conversations.json, a Roo or Cline task history) never has to be held, or parsed, whole: memory is
 * bounded by the largest single element.
 *
 * The scan works on bytes: every character that shapes JSON (quotes, backslash, brackets, comma, whitespace) is
 * ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte character, so no chunk boundary can mislead it.
 */

export type ArrayEvent =
  | { readonly kind: 'element'; readonly index: number; readonly value: unknown }
  /** An element that was delimited but could not be used (too large, invalid JSON or UTF-8); the rest go on. */
  | {
      readonly kind: 'skipped'
      readonly index: number
      readonly cause: 'too-large' | 'invalid'
      readonly reason: string
      /** The element's last bytes as text, when it is too large and the caller asked for them (tailBytes). */
      readonly tail?: string
    }

export type ArrayEnd =
  | { readonly status: 'complete' }
  /** The input stopped inside the array: most likely a file still being written or copied. */
  | { readonly status: 'truncated'; readonly reason: string }
  /** Not a JSON array, or broken between elements: nothing after this point can be trusted. */
  | { readonly status: 'corrupt'; readonly reason: string }

export const MAX_ELEMENT_BYTES = 64 * 1024 * 1024

/** The reason for input that holds nothing but whitespace, if anything. */
export const EMPTY = 'is empty (probably still being written)'

/** How reasons name the elements and the array, so a user reads "2 complete conversations", not "elements". */
export interface ArrayWording {
  readonly one: string
  readonly many: string
  /** Why a top-level object is refused. */
  readonly object: string
  /** Why a top-level string, number or literal is refused; without it, such input "is not JSON". */
  readonly scalar?: string
}

export const ELEMENTS: ArrayWording = {
  one: 'element',
  many: 'elements',
  object: 'is a JSON object, not an array',
}

export interface ArrayStreamOptions {
  readonly maxElementBytes?: number
  readonly wording?: ArrayWording
  /**
   * Keep this many of the last bytes of an element too large to parse, so the caller can still name it by a
   * member written last (a ChatGPT conversation's `id`). None by default.
   */
  readonly tailBytes?: number
}

const enum State {
  Before,
  ElementOrClose,
  InElement,
  CommaOrClose,
  Done,
  Failed,
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
const isOpen = (c: number) => c === 0x7b || c === 0x5b
const isClose = (c: number) => c === 0x7d || c === 0x5d
const sizeOf = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${Math.ceil(bytes / (1024 * 1024))} MB`
const isScalarStart = (c: number) =>
  c === QUOTE || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e

/** The last `n` bytes of `pieces`, copied, so the chunks they came from are not held. */
function lastBytes(pieces: readonly Uint8Array[], n: number): Uint8Array {
  const kept: Uint8Array[] = []
  let size = 0
  for (let i = pieces.length - 1; i >= 0 && size < n; i--) {
    const piece = pieces[i] as Uint8Array
    const part = piece.subarray(Math.max(0, piece.length - (n - size)))
    kept.unshift(part)
    size += part.length
  }
  return Buffer.concat(kept)
}

/** Why the first meaningful byte is not the `[` the array starts with. */
function notAnArray(c: number, wording: ArrayWording): string {
  if (c === 0x7b) return wording.object
  if (wording.scalar !== undefined && isScalarStart(c)) return wording.scalar
  if (c < 0x20 || c >= 0x7f) return 'holds binary data, not JSON text'
  return `is not JSON (starts with ${JSON.stringify(String.fromCharCode(c))})`
}

export class JsonArraySplitter {
  private state = State.Before
  private offset = 0
  private index = 0
  private depth = 0
  private inString = false
  private escape = false
  private parts: Uint8Array[] = []
  private size = 0
  private failure = ''
  private tail: Uint8Array = new Uint8Array(0)
  private readonly decoder = new TextDecoder('utf-8', { fatal: true })

  private readonly maxElementBytes: number
  private readonly wording: ArrayWording
  private readonly tailBytes: number

  constructor(options: ArrayStreamOptions = {}) {
    this.maxElementBytes = options.maxElementBytes ?? MAX_ELEMENT_BYTES
    this.wording = options.wording ?? ELEMENTS
    this.tailBytes = options.tailBytes ?? 0
  }

  private complete(n: number): string {
    return `${n} complete ${n === 1 ? this.wording.one : this.wording.many}`
  }

  /** False once the input is known to be broken: the caller can stop reading. */
  get reading(): boolean {
    return this.state !== State.Failed
  }

  push(chunk: Uint8Array): ArrayEvent[] {
    // JSON text never holds a NUL byte; binary data almost always does. What came before it is still good.
    const nul = chunk.indexOf(0)
    const at = this.offset + nul
    const events = this.scan(nul >= 0 ? chunk.subarray(0, nul) : chunk)
    if (nul >= 0 && this.state !== State.Failed)
      this.fail(`holds binary data, not JSON text (a NUL byte at offset ${at})`)
    return events
  }

  private scan(chunk: Uint8Array): ArrayEvent[] {
    const events: ArrayEvent[] = []
    if (this.state === State.Failed) return events
    let start = this.state === State.InElement ? 0 : -1
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as number
      if (this.state === State.InElement) {
        let end = -1 // exclusive end of the element within this chunk, when it ends here
        if (this.inString) {
          if (this.escape) this.escape = false
          else if (c === BACKSLASH) this.escape = true
          else if (c === QUOTE) {
            this.inString = false
            if (this.depth === 0) end = i + 1
          }
        } else if (c === QUOTE) this.inString = true
        else if (isOpen(c)) this.depth++
        else if (isClose(c) && this.depth > 0) {
          if (--this.depth === 0) end = i + 1
        } else if (this.depth === 0 && (isSpace(c) || c === COMMA || isClose(c))) {
          end = i // a number or literal ends at the byte after it, which is read again below
          i--
        }
        if (end >= 0) {
          events.push(this.finish(chunk.subarray(start, end)))
          this.state = State.CommaOrClose
        }
      } else if (isSpace(c)) continue
      else if (this.state === State.Before) {
        // A UTF-8 byte order mark may precede the array.
        if (this.offset + i < 3 && (c === 0xef || c === 0xbb || c === 0xbf)) continue
        if (c === 0x5b) this.state = State.ElementOrClose
        else return this.fail(notAnArray(c, this.wording), events)
      } else if (this.state === State.ElementOrClose) {
        if (c === 0x5d) this.state = State.Done
        else {
          start = i
          this.state = State.InElement
          this.depth = isOpen(c) ? 1 : 0
          this.inString = c === QUOTE
        }
      } else if (this.state === State.CommaOrClose) {
        // Being liberal: a trailing comma before `]` is accepted by the ElementOrClose state.
        if (c === COMMA) this.state = State.ElementOrClose
        else if (c === 0x5d) this.state = State.Done
        else
          return this.fail(
            `is not valid JSON after ${this.complete(this.index)} (offset ${this.offset + i})`,
            events,
          )
      } else if (this.state === State.Done) {
        return this.fail('has data after the end of the array', events)
      }
    }
    if (this.state === State.InElement) this.keep(chunk.subarray(start))
    this.offset += chunk.length
    return events
  }

  end(): ArrayEnd {
    if (this.state === State.Done) return { status: 'complete' }
    if (this.state === State.Failed) return { status: 'corrupt', reason: this.failure }
    if (this.state === State.Before) return { status: 'truncated', reason: EMPTY }
    return {
      status: 'truncated',
      reason: `ends abruptly after ${this.complete(this.index)} (probably still being written)`,
    }
  }

  private fail(reason: string, events: ArrayEvent[] = []): ArrayEvent[] {
    this.state = State.Failed
    this.failure = reason
    this.parts = []
    return events
  }

  /** Holds on to an element's bytes until it ends; over the limit, only counts them and keeps the last tailBytes. */
  private keep(bytes: Uint8Array): void {
    this.size += bytes.length
    if (this.size <= this.maxElementBytes) {
      if (bytes.length > 0) this.parts.push(bytes)
      return
    }
    if (this.tailBytes > 0) this.tail = lastBytes([this.tail, ...this.parts, bytes], this.tailBytes)
    this.parts = []
  }

  private finish(last: Uint8Array): ArrayEvent {
    this.keep(last)
    const index = this.index++
    const size = this.size
    const parts = this.parts
    const tail = this.tail
    this.parts = []
    this.size = 0
    this.tail = new Uint8Array(0)
    if (size > this.maxElementBytes)
      return {
        kind: 'skipped',
        index,
        cause: 'too-large',
        reason: `is ${sizeOf(size)}, over the ${sizeOf(this.maxElementBytes)} limit`,
        ...(this.tailBytes > 0 && { tail: new TextDecoder().decode(tail) }),
      }
    let text: string
    try {
      text = this.decoder.decode(parts.length === 1 ? parts[0] : Buffer.concat(parts))
    } catch {
      return { kind: 'skipped', index, cause: 'invalid', reason: 'is not UTF-8 text' }
    }
    try {
      return { kind: 'element', index, value: JSON.parse(text) as unknown }
    } catch (error) {
      const reason = `is not valid JSON (${(error as Error).message})`
      return { kind: 'skipped', index, cause: 'invalid', reason }
    }
  }
}

/** The elements of the array in `chunks`, then how the input ended. */
export async function* jsonArrayEvents(
  chunks: AsyncIterable<Uint8Array>,
  options: ArrayStreamOptions = {},
): AsyncGenerator<ArrayEvent, ArrayEnd> {
  const splitter = new JsonArraySplitter(options)
  for await (const chunk of chunks) {
    yield* splitter.push(chunk)
    if (!splitter.reading) break
  }
  return splitter.end()
}
