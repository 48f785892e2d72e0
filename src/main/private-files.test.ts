/**
 * Every file Chronicle writes is the user's alone, also where Chronicle runs as a library under the usual umask 022
 * (a test, a tool) rather than from an entry point that sets 0077: real operations on a real data directory (open
 * the repository, import a sample, export the audit trail, keep an image, remember a port, log), then every entry
 * under it is stat'ed. The bad input each tries is the ordinary one: a process whose files default to 0644.
 */
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportAudit } from './audit/export-audit'
import { seedEventlog, LAPTOP } from './audit/test-support/seed-eventlog'
import { main } from './cli/main'
import { imageStore } from './images/image-store'
import { samplesDir } from './import/test-support/samples'
import { saveSourceChoices } from './import/source-settings'
import { fileLogger } from './logger'
import { ensurePrivateDir, octalMode } from './private-files'
import { useScratch } from './repository/test-support/scratch'
import { loadDeviceIdentity, saveDeviceName } from './sync/device-identity'
import { notPrivate } from './test-support/not-private'
import { rememberPort } from './web-host/remembered-port'

const scratch = useScratch()
const posix = process.platform !== 'win32'
let umask = 0
beforeAll(() => void (umask = process.umask(0o022)))
afterAll(() => void process.umask(umask))

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(32, 1),
])
const quiet = { out: () => undefined, err: () => undefined, color: false }

describe.runIf(posix)('files Chronicle writes', () => {
  it('are 0600 in 0700 folders after opening, importing, exporting, keeping an image and logging', async () => {
    const dataDir = join(scratch.dir(), 'data')
    const repo = scratch.open({ dataDir })
    // While the database is open its WAL and shared memory exist too.
    expect(readdirSync(dataDir)).toEqual(
      expect.arrayContaining(['chronicle.sqlite', 'chronicle.sqlite-wal', 'chronicle.sqlite-shm']),
    )
    expect(notPrivate(dataDir)).toEqual([])

    const imported = await main(
      ['import', samplesDir('claude-code', 'projects'), '--data-dir', dataDir],
      quiet,
    )
    expect(imported).toBe(0)
    await seedEventlog(repo)
    const out = join(dataDir, 'exports', 'audit.ndjson')
    mkdirSync(join(dataDir, 'exports'), { mode: 0o700 })
    const exported = await exportAudit(repo, {
      format: 'ndjson',
      filters: {},
      out,
      includeContent: false,
      redact: false,
      dataDir,
      device: { id: LAPTOP, name: 'laptop' },
      workers: 0,
    })
    expect(statSync(exported.digestFile).isFile()).toBe(true)
    expect(imageStore(dataDir).put(PNG)).toMatch(/^[0-9a-f]{64}$/)
    rememberPort(dataDir, 4321)
    saveDeviceName(dataDir, loadDeviceIdentity(dataDir), 'laptop')
    saveSourceChoices(dataDir, { added: [], removed: [], paused: [] })
    fileLogger(dataDir)('a line')

    expect(notPrivate(dataDir)).toEqual([])
  })

  it('makes files an older version left open private: the database on open, web-host.json when written', async () => {
    const dataDir = scratch.dir()
    await scratch.open({ dataDir }).close()
    chmodSync(join(dataDir, 'chronicle.sqlite'), 0o644)
    writeFileSync(join(dataDir, 'web-host.json'), '{}', { mode: 0o644 })
    chmodSync(join(dataDir, 'web-host.json'), 0o644)
    scratch.open({ dataDir })
    rememberPort(dataDir, 4321)
    expect(notPrivate(dataDir)).toEqual([])
  })

  it('tightens a data directory others can enter, and says so in the log once', async () => {
    const dataDir = join(scratch.dir(), 'shared')
    mkdirSync(dataDir, { mode: 0o755 })
    chmodSync(dataDir, 0o755)
    await scratch.open({ dataDir }).close()
    await scratch.open({ dataDir }).close()
    expect(octalMode(statSync(dataDir).mode)).toBe('0700')
    const log = readFileSync(join(dataDir, 'logs', 'chronicle.log'), 'utf8')
    expect(log.match(/was open to other users \(0755\); set to 0700/g)).toHaveLength(1)
  })

  it('leaves a private directory as it is', () => {
    const dir = join(scratch.dir(), 'private')
    expect(ensurePrivateDir(dir)).toBeNull()
    expect(ensurePrivateDir(dir)).toBeNull()
    expect(octalMode(statSync(dir).mode)).toBe('0700')
  })

  it('takes only the others’ bits off: a read-only folder stays read-only (bad input: a 0555 data directory)', () => {
    const dir = join(scratch.dir(), 'read-only')
    mkdirSync(dir, { mode: 0o555 })
    chmodSync(dir, 0o555)
    expect(ensurePrivateDir(dir)).toBe(0o555)
    expect(octalMode(statSync(dir).mode)).toBe('0500')
    chmodSync(dir, 0o700)
  })
})
