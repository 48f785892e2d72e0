/** Export zips, read without external programs: only conversations.json is inflated, as a stream. */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { zipSync, type Zippable } from 'fflate'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { conversationsOf, UnitReadError } from '../../source-adapter'
import { chatGptAdapter } from './index'
import { collect, FIXTURE, readAll } from './test-exports'

const scratch = useScratch()

/** What ChatGPT's export holds beside conversations.json: images, an HTML view, and a macOS shadow file. */
function exportZip(files: Zippable, level: 0 | 6 = 6): Uint8Array {
  const image = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 251)
  return zipSync(
    {
      'file-Ab12Cd34Ef56Gh78-sales.png': image,
      'chat.html': new TextEncoder().encode('<html>…</html>'),
      '__MACOSX/._conversations.json': new Uint8Array([0, 5, 22, 7]),
      ...files,
    },
    { level },
  )
}

async function readZip(bytes: Uint8Array) {
  const path = join(scratch.dir(), 'chatgpt-export.zip')
  writeFileSync(path, bytes)
  const units = await collect(chatGptAdapter.findUnits(path))
  expect(units).toEqual([{ key: path, source: 'chatgpt', files: [path] }])
  return conversationsOf(await chatGptAdapter.readUnit(units[0] as (typeof units)[number]))
}

const fixtureBytes = () => new Uint8Array(readFileSync(FIXTURE))

/**
 * The same one-entry archive in zip64 form, as archivers write exports over 4 GB: sizes and offsets move to the
 * zip64 extra field and records. fflate writes no zip64, so the records are rewritten here.
 */
function toZip64(zip: Uint8Array): Buffer {
  const src = Buffer.from(zip)
  const eocd = src.length - 22
  const cdOffset = src.readUInt32LE(eocd + 16)
  const nameLength = src.readUInt16LE(cdOffset + 28)
  const header = Buffer.from(src.subarray(cdOffset, cdOffset + 46))
  const extra = Buffer.alloc(28)
  extra.writeUInt16LE(1, 0)
  extra.writeUInt16LE(24, 2)
  extra.writeBigUInt64LE(BigInt(header.readUInt32LE(24)), 4)
  extra.writeBigUInt64LE(BigInt(header.readUInt32LE(20)), 12)
  extra.writeBigUInt64LE(BigInt(header.readUInt32LE(42)), 20)
  for (const at of [20, 24, 42]) header.writeUInt32LE(0xffffffff, at)
  header.writeUInt16LE(28, 30)
  header.writeUInt16LE(0, 32)
  const central = Buffer.concat([header, src.subarray(cdOffset + 46, cdOffset + 46 + nameLength), extra])
  const record = Buffer.alloc(56)
  record.writeUInt32LE(0x06064b50, 0)
  record.writeBigUInt64LE(44n, 4)
  record.writeBigUInt64LE(1n, 24)
  record.writeBigUInt64LE(1n, 32)
  record.writeBigUInt64LE(BigInt(central.length), 40)
  record.writeBigUInt64LE(BigInt(cdOffset), 48)
  const locator = Buffer.alloc(20)
  locator.writeUInt32LE(0x07064b50, 0)
  locator.writeBigUInt64LE(BigInt(cdOffset + central.length), 8)
  locator.writeUInt32LE(1, 16)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt32LE(0xffffffff, 12)
  end.writeUInt32LE(0xffffffff, 16)
  return Buffer.concat([src.subarray(0, cdOffset), central, record, locator, end])
}

describe('chatGptAdapter on export zips', () => {
  it('reads conversations.json from a deflated or a stored zip exactly as from the file', async () => {
    const expected = await readAll(FIXTURE)
    expect(await readZip(exportZip({ 'conversations.json': fixtureBytes() }))).toEqual(expected)
    expect(await readZip(exportZip({ 'conversations.json': fixtureBytes() }, 0))).toEqual(expected)
  })

  it('reads a zip64 archive', async () => {
    const zip64 = toZip64(zipSync({ 'conversations.json': fixtureBytes() }))
    expect(await readZip(zip64)).toEqual(await readAll(FIXTURE))
  })

  it('finds conversations.json in a folder of the archive, preferring the shallowest', async () => {
    const inner = new TextEncoder().encode('[]')
    const read = await readZip(
      exportZip({
        'export/conversations.json': fixtureBytes(),
        'export/old/backup/conversations.json': inner,
      }),
    )
    expect(read).toHaveLength(3)
  })

  it('reports a zip cut short as still being copied (retryable)', async () => {
    const whole = exportZip({ 'conversations.json': fixtureBytes() })
    const error = await readZip(whole.subarray(0, Math.floor(whole.length / 2))).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnitReadError)
    expect(error).toMatchObject({
      retryable: true,
      reason: 'is an incomplete zip (probably still being copied)',
    })
  })

  it('refuses a file that is not a zip, and a zip without conversations.json', async () => {
    await expect(readZip(new TextEncoder().encode('just text, renamed to .zip'))).rejects.toMatchObject({
      reason: 'is not a zip archive',
      retryable: false,
    })
    await expect(readZip(exportZip({}))).rejects.toMatchObject({
      reason: 'holds no conversations.json (not a ChatGPT export)',
      retryable: false,
    })
  })

  it('refuses corrupt compressed data without retrying it', async () => {
    const name = 'conversations.json'
    const zip = exportZip({ [name]: fixtureBytes() })
    // Overwrite the middle of the compressed entry; the central directory at the end stays intact.
    const start = Buffer.from(zip).indexOf(name) + name.length
    zip.fill(0xff, start + 40, start + 400)
    const error = await readZip(zip).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnitReadError)
    expect(error).toMatchObject({ retryable: false })
  })
})
