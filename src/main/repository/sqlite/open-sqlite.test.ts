import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../test-support/scratch'
import { sqliteMigrations } from './migrations'
import { DEFAULT_CACHE_KIB, openSqlite } from './open-sqlite'

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
