/**
 * Streams one file out of a zip without external programs. The entry is found through the central directory at the
 * end of the archive (zip64 included) rather than by walking local headers from the start: an export zip can hold
 * gigabytes of images, and local headers of streamed archives carry no sizes. Only the entry's own byte range is
 * read, and it is inflated by node:zlib as it arrives.
 */
import type { FileHandle } from 'node:fs/promises'
import { pipeline } from 'node:stream'
import { crc32, createInflateRaw } from 'node:zlib'

export interface ZipEntry {
  readonly name: string
  readonly method: number
  readonly flags: number
  readonly compressedSize: number
  readonly uncompressedSize: number
  readonly crc32: number
  readonly localHeaderOffset: number
}

/** Bad or unfinished archive; `retryable` when it looks like a zip that is still being copied. */
export class ZipError extends Error {
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message)
  }
}

const EOCD = 0x06054b50
const ZIP64_LOCATOR = 0x07064b50
const ZIP64_EOCD = 0x06064b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
const MAX_CENTRAL_DIRECTORY = 256 * 1024 * 1024
const U32_MAX = 0xffffffff

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length)
  const { bytesRead } = await handle.read(buffer, 0, length, position)
  return buffer.subarray(0, bytesRead)
}

const u64 = (b: Buffer, at: number) => Number(b.readBigUInt64LE(at))

/** Where the central directory is and how long it is. */
async function centralDirectory(handle: FileHandle, size: number): Promise<{ offset: number; size: number }> {
  const tailStart = Math.max(0, size - (22 + 0xffff))
  const tail = await readAt(handle, tailStart, size - tailStart)
  let at = -1
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i
      break
    }
  }
  if (at < 0) {
    const head = await readAt(handle, 0, 4)
    const looksLikeZip = head.length === 4 && head.readUInt32LE(0) === LOCAL
    throw looksLikeZip
      ? new ZipError('is an incomplete zip (probably still being copied)', true)
      : new ZipError('is not a zip archive')
  }
  let cdSize = tail.readUInt32LE(at + 12)
  let cdOffset = tail.readUInt32LE(at + 16)
  if (
    (cdSize === U32_MAX || cdOffset === U32_MAX) &&
    at >= 20 &&
    tail.readUInt32LE(at - 20) === ZIP64_LOCATOR
  ) {
    const record = await readAt(handle, u64(tail, at - 20 + 8), 56)
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD)
      throw new ZipError('has a broken zip64 record')
    cdSize = u64(record, 40)
    cdOffset = u64(record, 48)
  }
  if (cdOffset + cdSize > size) throw new ZipError('is an incomplete zip (probably still being copied)', true)
  if (cdSize > MAX_CENTRAL_DIRECTORY) throw new ZipError('has an implausibly large zip directory')
  return { offset: cdOffset, size: cdSize }
}

/** Sizes and offsets of 0xffffffff live in the zip64 extra field (id 1), in this order, only when so marked. */
function zip64Values(extra: Buffer, wanted: readonly boolean[]): (number | undefined)[] {
  for (let i = 0; i + 4 <= extra.length;) {
    const id = extra.readUInt16LE(i)
    const length = extra.readUInt16LE(i + 2)
    if (id === 1) {
      let at = i + 4
      return wanted.map((w) => {
        if (!w || at + 8 > i + 4 + length) return undefined
        const value = u64(extra, at)
        at += 8
        return value
      })
    }
    i += 4 + length
  }
  return wanted.map(() => undefined)
}

/** Every entry whose name satisfies `accept`. */
export async function findZipEntries(
  handle: FileHandle,
  size: number,
  accept: (name: string) => boolean,
): Promise<ZipEntry[]> {
  const cd = await centralDirectory(handle, size)
  const dir = await readAt(handle, cd.offset, cd.size)
  const entries: ZipEntry[] = []
  for (let i = 0; i + 46 <= dir.length;) {
    if (dir.readUInt32LE(i) !== CENTRAL) throw new ZipError('has a corrupt zip directory')
    const flags = dir.readUInt16LE(i + 8)
    const nameLength = dir.readUInt16LE(i + 28)
    const extraLength = dir.readUInt16LE(i + 30)
    const commentLength = dir.readUInt16LE(i + 32)
    // Names are UTF-8 when flag bit 11 says so; the name we look for is ASCII either way.
    const name = dir.toString(flags & 0x800 ? 'utf8' : 'latin1', i + 46, i + 46 + nameLength)
    if (accept(name)) {
      const compressed = dir.readUInt32LE(i + 20)
      const uncompressed = dir.readUInt32LE(i + 24)
      const offset = dir.readUInt32LE(i + 42)
      const extra = dir.subarray(i + 46 + nameLength, i + 46 + nameLength + extraLength)
      const [bigUncompressed, big, bigOffset] = zip64Values(extra, [
        uncompressed === U32_MAX,
        compressed === U32_MAX,
        offset === U32_MAX,
      ])
      entries.push({
        name,
        method: dir.readUInt16LE(i + 10),
        flags,
        compressedSize: big ?? compressed,
        uncompressedSize: bigUncompressed ?? uncompressed,
        crc32: dir.readUInt32LE(i + 16),
        localHeaderOffset: bigOffset ?? offset,
      })
    }
    i += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

/**
 * Damaged deflate data does not always fail to inflate: it can also end early or decode to other bytes. The size
 * and checksum from the directory tell a damaged entry from a conversations.json that really ends there.
 * The size is also a limit: the first chunk that would go past it stops the read, and leaving the loop destroys
 * the inflater, so a zip bomb (a few megabytes that inflate to terabytes under a small declared size) costs one
 * chunk of inflating, not its whole output.
 */
async function* verified(bytes: AsyncIterable<Uint8Array>, entry: ZipEntry): AsyncIterable<Uint8Array> {
  let size = 0
  let crc = 0
  try {
    for await (const chunk of bytes) {
      size += chunk.length
      if (size > entry.uncompressedSize) break
      crc = crc32(chunk, crc)
      yield chunk
    }
  } catch (error) {
    throw new ZipError(`holds a damaged ${entry.name} (${(error as Error).message})`)
  }
  if (size > entry.uncompressedSize)
    throw new ZipError(
      `holds a damaged ${entry.name} (it inflates to more than the ${entry.uncompressedSize} bytes its directory declares)`,
    )
  if (size !== entry.uncompressedSize || crc !== entry.crc32)
    throw new ZipError(`holds a damaged ${entry.name} (its size or checksum does not match)`)
}

/** The entry's uncompressed bytes as they are inflated, checked against the directory at the end. */
export async function openZipEntry(handle: FileHandle, entry: ZipEntry): Promise<AsyncIterable<Uint8Array>> {
  if (entry.flags & 1) throw new ZipError(`holds ${entry.name} encrypted`)
  if (entry.method !== 0 && entry.method !== 8)
    throw new ZipError(`holds ${entry.name} compressed with method ${entry.method}, which cannot be read`)
  const header = await readAt(handle, entry.localHeaderOffset, 30)
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL)
    throw new ZipError(`has a corrupt entry ${entry.name}`)
  const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28)
  async function* empty(): AsyncIterable<Uint8Array> {}
  if (entry.compressedSize === 0) return verified(empty(), entry)
  const raw = handle.createReadStream({
    start,
    end: start + entry.compressedSize - 1,
    autoClose: false,
    highWaterMark: 1024 * 1024,
  })
  if (entry.method === 0) return verified(raw, entry)
  // pipeline ends both streams when either fails or the reader stops early; the error reaches the reader.
  return verified(
    pipeline(raw, createInflateRaw({ chunkSize: 256 * 1024 }), () => {}),
    entry,
  )
}
