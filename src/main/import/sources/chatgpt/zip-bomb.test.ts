/**
 * Zip bombs: an entry whose directory declares a small size but whose deflate stream inflates to far more. The
 * bad input is built here with node:zlib: pieces of deflate data that each end on a byte boundary (a full flush)
 * are repeated, so a few kilobytes or megabytes inflate to hundreds of megabytes. The read must stop at the
 * declared size, stop inflating there, and import nothing from the entry.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { constants, crc32, deflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { importSources } from '../../import-engine'
import { chatGptAdapter } from './index'
import { FIXTURE } from './test-exports'
import { findZipEntries, openZipEntry } from './zip-entry'

const scratch = useScratch()
const MiB = 1024 * 1024

/** Deflate data that inflates to `bytes` and may be followed by more deflate data. */
const piece = (bytes: Uint8Array) => deflateRawSync(bytes, { finishFlush: constants.Z_FULL_FLUSH })

/** A zip record: its signature, then 16-bit fields at their offsets. */
function zipRecord(length: number, signature: number, fields: Record<number, number>): Buffer {
  const record = Buffer.alloc(length)
  record.writeUInt32LE(signature, 0)
  for (const [at, value] of Object.entries(fields)) record.writeUInt16LE(value, Number(at))
  return record
}

/** A zip of one deflated entry whose directory says it holds `declared` bytes with the checksum `crc`. */
function zipOf(name: string, deflated: Buffer, declared: number, crc: number): Buffer {
  const fileName = Buffer.from(name)
  const withSizes = (header: Buffer, at: number) => {
    header.writeUInt32LE(crc, at)
    header.writeUInt32LE(deflated.length, at + 4)
    header.writeUInt32LE(declared, at + 8)
    return header
  }
  // Version 2.0, method 8 (deflate), the name's length.
  const local = withSizes(zipRecord(30, 0x04034b50, { 4: 20, 8: 8, 26: fileName.length }), 14)
  const central = withSizes(zipRecord(46, 0x02014b50, { 4: 20, 6: 20, 10: 8, 28: fileName.length }), 16)
  const end = zipRecord(22, 0x06054b50, { 8: 1, 10: 1 })
  end.writeUInt32LE(central.length + fileName.length, 12)
  end.writeUInt32LE(local.length + fileName.length + deflated.length, 16)
  return Buffer.concat([local, fileName, deflated, central, fileName, end])
}

describe('a zip entry that inflates to more than its directory declares', () => {
  it('stops at the declared size, with a clear error, having read only the first megabytes of the entry', async () => {
    // Random hex digits inflate to about twice their deflated size: 64 MiB out of some 35 MiB, declared as 1 MiB.
    let seed = 1
    const hex = Buffer.alloc(MiB)
    for (let i = 0; i < MiB; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      hex[i] = '0123456789abcdef'.charCodeAt(seed >>> 28)
    }
    const deflated = Buffer.concat([...Array<Buffer>(64).fill(piece(hex)), deflateRawSync(Buffer.alloc(0))])
    const path = join(scratch.dir(), 'bomb.zip')
    writeFileSync(path, zipOf('conversations.json', deflated, MiB, 0))

    const handle = await open(path)
    try {
      const [entry] = await findZipEntries(handle, (await handle.stat()).size, () => true)
      let compressedRead = 0
      const read = handle.read.bind(handle)
      handle.read = (async (...args: Parameters<typeof read>) => {
        const result = await read(...args)
        compressedRead += result.bytesRead
        return result
      }) as typeof handle.read
      let inflated = 0
      const reading = (async () => {
        for await (const chunk of await openZipEntry(handle, entry as NonNullable<typeof entry>))
          inflated += chunk.length
      })()
      await expect(reading).rejects.toThrow(
        'holds a damaged conversations.json (it inflates to more than the 1048576 bytes its directory declares)',
      )
      expect(inflated).toBeLessThanOrEqual(MiB)
      // The inflater stopped pulling: a reader that went on to the end would have read all of the entry.
      expect(compressedRead).toBeLessThan(8 * MiB)
      expect(deflated.length).toBeGreaterThan(30 * MiB)
    } finally {
      await handle.close()
    }
  })

  it('imports nothing from an export whose conversations.json hides 256 MiB of padding under its real size', async () => {
    // The export's own conversations follow the padding: a reader that inflated it all would import them.
    const conversations = readFileSync(FIXTURE)
    const deflated = Buffer.concat([
      piece(Buffer.from('[')),
      ...Array<Buffer>(256).fill(piece(Buffer.alloc(MiB, 0x20))),
      deflateRawSync(conversations.subarray(1)),
    ])
    expect(deflated.length).toBeLessThan(MiB / 2)
    const path = join(scratch.dir(), 'chatgpt-export.zip')
    writeFileSync(path, zipOf('conversations.json', deflated, conversations.length, crc32(conversations)))

    const repo = scratch.open()
    const summary = await importSources(repo, [{ path, adapter: chatGptAdapter }])
    expect(summary.conversations.added).toBe(0)
    expect(summary.problems).toEqual([
      {
        path,
        reason: `holds a damaged conversations.json (it inflates to more than the ${conversations.length} bytes its directory declares)`,
        retryable: false,
      },
    ])
    expect((await repo.stats()).totals.conversations).toBe(0)
  })
})
