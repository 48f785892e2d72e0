import Database from 'better-sqlite3'
import { join } from 'node:path'

/** The SQL repository of a data directory, as the app names it. */
const repositoryFile = (dataDir: string) => join(dataDir, 'chronicle.sqlite')

/** Reads the SQL repository as any other program would: read-only, and closed before the test goes on. */
export function readRepository<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(repositoryFile(dataDir), { readonly: true, fileMustExist: true })
  try {
    return read(db)
  } finally {
    db.close()
  }
}

/**
 * Writes the SQL repository as another program would: no Chronicle code on the writing side. The busy timeout
 * waits out the bridge, which writes the same file from the serving process.
 */
export function writeRepository<T>(dataDir: string, write: (db: Database.Database) => T): T {
  const db = new Database(repositoryFile(dataDir), { fileMustExist: true })
  db.pragma('busy_timeout = 5000')
  try {
    return write(db)
  } finally {
    db.close()
  }
}
