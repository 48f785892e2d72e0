/**
 * Library membership on real files, where no worker is needed: a settings file that cannot be written takes the
 * new key away again, and setup and join refuse what they are given (a URL that is not a worker's, a garbled
 * code, a data directory that already syncs) before they ask any worker or write anything. The flows that reach
 * a worker are proved through the CLI (src/main/cli/sync-*.test.ts).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openRepository } from '../repository/repository'
import { useScratch } from '../repository/test-support/scratch'
import { LibraryKey } from './library-key'
import { libraryKeyPath } from './library-key-file'
import {
  joinLibrary,
  MembershipRefusal,
  setUpLibrary,
  storeMembership,
  type MembershipOptions,
} from './library-membership'
import { makePairingCode } from './pairing-code'
import { syncSettingsPath, writeSyncSettings, type SyncSettings } from './sync-settings'

const scratch = useScratch()

const settings: SyncSettings = {
  url: 'https://chronicle-sync.example.workers.dev/',
  storeId: 'chronicle-test',
  joinedAt: new Date(0).toISOString(),
  role: 'joined',
}

const optionsFor = (dataDir: string): MembershipOptions => ({
  dataDir,
  openRepository: () => openRepository({ dataDir }),
  log: () => undefined,
})

async function refusal(work: Promise<unknown>): Promise<string> {
  const error: unknown = await work.then(
    () => null,
    (thrown: unknown) => thrown,
  )
  if (!(error instanceof MembershipRefusal)) throw new Error(`expected a refusal, got ${String(error)}`)
  return error.message
}

describe('library membership', () => {
  it('writes the key, then the settings', () => {
    const dataDir = scratch.dir()
    storeMembership(dataDir, LibraryKey.generate(), settings)
    expect(existsSync(libraryKeyPath(dataDir))).toBe(true)
    expect(existsSync(syncSettingsPath(dataDir))).toBe(true)
  })

  it('takes the new key away when the settings cannot be written', () => {
    const dataDir = scratch.dir()
    // A folder with something in it where sync.json goes: the atomic rename over it fails.
    mkdirSync(syncSettingsPath(dataDir))
    writeFileSync(join(syncSettingsPath(dataDir), 'in-the-way'), '')
    expect(() => storeMembership(dataDir, LibraryKey.generate(), settings)).toThrow()
    expect(existsSync(libraryKeyPath(dataDir))).toBe(false)
  })

  it('refuses a URL that is not a worker URL, writing nothing', async () => {
    const dataDir = scratch.dir()
    expect(await refusal(setUpLibrary(optionsFor(dataDir), 'http://chronicle-sync.example.com'))).toMatch(
      /plain http is only for a worker on this machine/,
    )
    expect(readdirSync(dataDir)).toEqual([])
  })

  it('refuses a garbled pairing code, writing nothing', async () => {
    const dataDir = scratch.dir()
    await refusal(joinLibrary(optionsFor(dataDir), 'not-a-pairing-code'))
    expect(readdirSync(dataDir)).toEqual([])
  })

  it('refuses a data directory that already syncs before it asks the worker', async () => {
    const dataDir = scratch.dir()
    writeSyncSettings(dataDir, settings)
    // Port 9 (discard) on this machine: asking it first would end in "unreachable", not in this refusal.
    const code = makePairingCode({
      workerUrl: 'http://127.0.0.1:9/',
      storeId: 'chronicle-other',
      key: LibraryKey.generate(),
    })
    const already = /already syncs library chronicle-test/
    expect(await refusal(setUpLibrary(optionsFor(dataDir), 'http://127.0.0.1:9/'))).toMatch(already)
    expect(await refusal(joinLibrary(optionsFor(dataDir), code))).toMatch(already)
    expect(readdirSync(dataDir)).toEqual(['sync.json'])
  })
})
