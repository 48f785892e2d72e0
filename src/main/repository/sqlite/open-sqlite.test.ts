import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../test-support/scratch'
import { sqliteMigrations } from './migrations'
import { DEFAULT_CACHE_KIB, longUpgradeMessage, openSqlite } from './open-sqlite'

const scratch = useScratch()

/** SQLite reports a cache given in KiB as a negative number. */
const cacheKiB = (options: { cacheKiB?: number }) => {
  const db = openSqlite({
    file: join(scratch.dir(), 'chronicle.sqlite'),
    migrations: sqliteMigrations,
    ...options,
  })
  try {
    return -Number(db.pragma('cache_size', { simple: true }))
  } finally {
    db.close()
  }
}

describe('the page cache of a connection', () => {
  it('is 16 MiB unless the caller names another size', () => {
    expect(DEFAULT_CACHE_KIB).toBe(16_384)
    expect(cacheKiB({})).toBe(16_384)
  })

  it('is the size the caller names, and never under 512 KiB', () => {
    expect(cacheKiB({ cacheKiB: 65_536 })).toBe(65_536)
    expect(cacheKiB({ cacheKiB: 100 })).toBe(512)
  })
})

describe('an upgrade that takes a while', () => {
  const open = (file: string, versions: number, told: string[]) =>
    openSqlite({
      file,
      migrations: sqliteMigrations.slice(0, versions),
      onLongUpgrade: (m) => told.push(m),
    }).close()

  it('is announced before it starts when an existing library needs it, and only then', () => {
    const file = join(scratch.dir(), 'chronicle.sqlite')
    const told: string[] = []
    open(file, 15, told)
    // A new library: nothing to rebuild, nothing said (0012 was among its migrations).
    expect(told).toEqual([])
    open(file, 16, told)
    expect(told).toHaveLength(1)
    expect(told[0]).toBe(
      'Upgrading your library to this version of Chronicle (once): rebuilding its search index (about 4 s per 200,000 messages)…',
    )
    open(file, 16, told)
    expect(told).toHaveLength(1)
    // Several slow steps: each said once, in order.
    open(file, sqliteMigrations.length, told)
    expect(told[1]).toMatch(/: finding the images .*; marking the messages synced .*…$/)
    expect(sqliteMigrations.filter((m) => m.slowWork).map((m) => m.version)).toEqual([12, 16, 18, 20])
  })

  it('says a step two migrations share once', () => {
    expect(longUpgradeMessage(['a', 'b', 'a'])).toBe(
      'Upgrading your library to this version of Chronicle (once): a; b…',
    )
  })
})
