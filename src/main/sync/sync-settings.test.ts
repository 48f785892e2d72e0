/**
 * sync.json on disk: written whole and 0600, read back as written, removed by leave; every damaged form (bad input:
 * not JSON, wrong shape, a bad URL, store id, time or role) is refused with a message naming the file and
 * `chronicle sync leave`, never a crash or a half-trusted remote.
 */
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { LibraryKey } from './library-key'
import { libraryKeyPath, writeLibraryKey } from './library-key-file'
import {
  readSyncRemote,
  readSyncRemoteOrProblem,
  readSyncSettings,
  removeSyncSettings,
  syncRemoteOrNone,
  syncSettingsPath,
  writeSyncSettings,
  type SyncSettings,
} from './sync-settings'

const scratch = useScratch()

const SETTINGS: SyncSettings = {
  url: 'https://chronicle-sync.example.workers.dev/',
  storeId: 'chronicle-AbCdEfGhIjKlMnOpQrStUv',
  joinedAt: '2026-12-04T23:00:00.000Z',
  role: 'set-up',
}

describe('sync settings', () => {
  it('are written 0600, read back as written, and removed', () => {
    const dataDir = scratch.dir()
    expect(readSyncSettings(dataDir)).toBeNull()
    writeSyncSettings(dataDir, SETTINGS)
    expect(readSyncSettings(dataDir)).toEqual(SETTINGS)
    if (process.platform !== 'win32') expect(statSync(syncSettingsPath(dataDir)).mode & 0o777).toBe(0o600)
    expect(readdirSync(dataDir)).toEqual(['sync.json']) // no temporary file left beside it
    expect(removeSyncSettings(dataDir)).toBe(true)
    expect(removeSyncSettings(dataDir)).toBe(false)
    expect(readSyncSettings(dataDir)).toBeNull()
  })

  it.each([
    ['not JSON', '{"version":1,', 'not JSON'],
    ['an array', '[]', 'not a JSON object'],
    ['a future format', JSON.stringify({ ...SETTINGS, version: 2 }), 'format version 2, expected 1'],
    [
      'a URL with a query',
      JSON.stringify({ ...SETTINGS, version: 1, url: 'https://x.dev/?t=1' }),
      'bad worker URL',
    ],
    [
      'plain http elsewhere',
      JSON.stringify({ ...SETTINGS, version: 1, url: 'http://x.dev/' }),
      'bad worker URL',
    ],
    ['a bad store id', JSON.stringify({ ...SETTINGS, version: 1, storeId: 'a/b' }), 'the store id'],
    ['no time', JSON.stringify({ ...SETTINGS, version: 1, joinedAt: 'yesterday' }), 'joinedAt'],
    ['an unknown role', JSON.stringify({ ...SETTINGS, version: 1, role: 'owner' }), 'role'],
  ])('refuses %s, naming the file and what to do', (_, text, what) => {
    const dataDir = scratch.dir()
    writeFileSync(syncSettingsPath(dataDir), text)
    expect(() => readSyncSettings(dataDir)).toThrow(`${syncSettingsPath(dataDir)} is damaged (`)
    expect(() => readSyncSettings(dataDir)).toThrow(what)
    expect(() => readSyncSettings(dataDir)).toThrow('Run `chronicle sync leave`')
  })

  it('give the relay its remote with the key, none without sync.json, and refuse one whose key is gone', () => {
    const dataDir = scratch.dir()
    expect(readSyncRemote(dataDir)).toBeNull()
    const key = LibraryKey.generate()
    writeLibraryKey(dataDir, key)
    expect(readSyncRemote(dataDir)).toBeNull() // a stray key is no remote
    writeSyncSettings(dataDir, SETTINGS)
    const remote = readSyncRemote(dataDir)
    expect(remote).toMatchObject({ url: SETTINGS.url, storeId: SETTINGS.storeId })
    expect(remote?.key.equals(key)).toBe(true)
    rmSync(libraryKeyPath(dataDir))
    expect(() => readSyncRemote(dataDir)).toThrow(`but ${libraryKeyPath(dataDir)} is missing`)
  })

  it('give the remote, none, or the problem as a value to what runs a relay (the app, the trail catch-up)', () => {
    const dataDir = scratch.dir()
    expect(readSyncRemoteOrProblem(dataDir)).toEqual({ remote: null })
    const key = LibraryKey.generate()
    writeLibraryKey(dataDir, key)
    writeSyncSettings(dataDir, SETTINGS)
    expect(readSyncRemoteOrProblem(dataDir)).toMatchObject({ remote: { storeId: SETTINGS.storeId } })
    const logged: string[] = []
    expect(syncRemoteOrNone(dataDir, (line) => logged.push(line))?.key.equals(key)).toBe(true)
    expect(logged).toEqual([])

    writeFileSync(libraryKeyPath(dataDir), 'not a key') // the key file's own error (LibraryKeyFileError)
    const damagedKey = readSyncRemoteOrProblem(dataDir)
    expect(damagedKey).toEqual({ problem: expect.stringContaining(libraryKeyPath(dataDir)) as string })
    rmSync(libraryKeyPath(dataDir))
    expect(readSyncRemoteOrProblem(dataDir)).toEqual({
      problem: expect.stringContaining(`but ${libraryKeyPath(dataDir)} is missing`) as string,
    })
    writeFileSync(syncSettingsPath(dataDir), '[]')
    const damaged = readSyncRemoteOrProblem(dataDir)
    expect(damaged).toEqual({ problem: expect.stringContaining('is damaged (not a JSON object)') as string })
    expect(syncRemoteOrNone(dataDir, (line) => logged.push(line))).toBeNull()
    expect(logged).toEqual([`sync: not relaying to a remote: ${'problem' in damaged ? damaged.problem : ''}`])
  })
})
