/**
 * Atomic writes on real files: the target holds the old bytes or the new ones, never part of either, whatever
 * fails; no temporary file outlives a write; the file is 0600. The bad inputs: a writer that throws half way, a
 * target the rename cannot replace (a folder), a read-only folder, an umask that would leave the owner without
 * write permission, and a second process reading the file while it is being replaced, again and again.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFileAtomic, writeFileAtomicSync } from './atomic-write'
import { useScratch } from './repository/test-support/scratch'

const scratch = useScratch()
const posix = process.platform !== 'win32'
const text = (value: string) => new TextEncoder().encode(value)

/** Sets up a folder holding `target.json` with the old bytes, readable by everyone (as an older version left it). */
function withOldFile() {
  const dir = scratch.dir()
  const file = join(dir, 'target.json')
  writeFileSync(file, 'old', { mode: 0o644 })
  if (posix) chmodSync(file, 0o644)
  return { dir, file }
}

describe('writeFileAtomicSync and writeFileAtomic', () => {
  let umask = 0
  // An umask that takes the owner's write bit: the mode must be set on the file, not asked of open().
  beforeEach(() => void (umask = process.umask(0o277)))
  afterEach(() => void process.umask(umask))

  it('replace the file whole, 0600, and leave only it in the folder', async () => {
    const { dir, file } = withOldFile()
    writeFileAtomicSync(file, 'new')
    expect(readFileSync(file, 'utf8')).toBe('new')
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600)
    await writeFileAtomic(file, async (append) => {
      await append(text('newer, '))
      await append(text('in two chunks'))
    })
    expect(readFileSync(file, 'utf8')).toBe('newer, in two chunks')
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['target.json'])
  })

  it('keep a mode the caller asks for', () => {
    const { file } = withOldFile()
    writeFileAtomicSync(file, 'new', { mode: 0o640 })
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o640)
  })

  it('leave the target untouched and no temporary file when the writer throws half way', async () => {
    const { dir, file } = withOldFile()
    const failure = new Error('the source went away')
    await expect(
      writeFileAtomic(file, async (append) => {
        await append(text('half of the new'))
        throw failure
      }),
    ).rejects.toBe(failure)
    expect(readFileSync(file, 'utf8')).toBe('old')
    expect(readdirSync(dir)).toEqual(['target.json'])
  })

  it('leave no temporary file when the rename fails after the bytes were written (the target is a folder)', async () => {
    const dir = scratch.dir()
    const target = join(dir, 'taken')
    mkdirSync(target)
    writeFileSync(join(target, 'inside'), 'kept')
    expect(() => writeFileAtomicSync(target, 'new')).toThrow(/EISDIR|ENOTEMPTY|EPERM/)
    await expect(writeFileAtomic(target, (append) => append(text('new')))).rejects.toThrow(
      /EISDIR|ENOTEMPTY|EPERM/,
    )
    expect(readdirSync(dir)).toEqual(['taken'])
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('kept')
  })

  // Root writes into read-only folders, so this runs only as an ordinary user.
  it.runIf(posix && process.getuid?.() !== 0)('fail in a read-only folder and leave it as it was', () => {
    const { dir, file } = withOldFile()
    chmodSync(dir, 0o500)
    try {
      expect(() => writeFileAtomicSync(file, 'new')).toThrow(/EACCES/)
    } finally {
      chmodSync(dir, 0o700)
    }
    expect(readFileSync(file, 'utf8')).toBe('old')
    expect(readdirSync(dir)).toEqual(['target.json'])
  })

  it('never show a reader in the same process part of a file being written in chunks', async () => {
    const { file } = withOldFile()
    await writeFileAtomic(file, async (append) => {
      for (let i = 0; i < 20; i++) {
        await append(new Uint8Array(64 * 1024).fill(0x62))
        expect(readFileSync(file, 'utf8')).toBe('old')
      }
    })
    expect(readFileSync(file).equals(Buffer.alloc(20 * 64 * 1024, 0x62))).toBe(true)
  })
})

/** Reads `file` until `stop` exists, counting reads and those that were neither whole version. */
const READER = `
const { existsSync, readFileSync } = require('node:fs')
const [file, stop, size] = process.argv.slice(1)
let reads = 0, torn = 0
process.stdout.write('ready\\n')
while (!existsSync(stop)) {
  const bytes = readFileSync(file)
  reads++
  if (bytes.length !== Number(size) || bytes[0] !== bytes[bytes.length - 1]) torn++
}
process.stdout.write(JSON.stringify({ reads, torn }))
`

describe('a reader in another process', () => {
  it('sees one whole version or the other while the file is replaced 100 times', async () => {
    const dir = scratch.dir()
    const [file, stop] = [join(dir, 'state.json'), join(dir, 'stop')]
    const size = 256 * 1024
    const versions = [Buffer.alloc(size, 0x61), Buffer.alloc(size, 0x62)] as const
    writeFileAtomicSync(file, versions[0])
    const reader = spawn(process.execPath, ['-e', READER, file, stop, String(size)])
    let out = ''
    reader.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString()))
    while (!out.includes('ready')) await once(reader.stdout, 'data')
    for (let i = 0; i < 100; i++) writeFileAtomicSync(file, versions[i % 2] as Buffer)
    writeFileSync(stop, '')
    await once(reader, 'exit')
    const result = JSON.parse(out.slice(out.indexOf('{'))) as { reads: number; torn: number }
    expect(result.reads).toBeGreaterThan(0)
    expect(result.torn).toBe(0)
  })
})
