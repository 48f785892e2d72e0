/**
 * Failures that stop the repository from opening. Each message is one line that tells the person what to do;
 * the CLI prints it as it is and exits non-zero.
 */
export type RepositoryErrorCode =
  | 'DATA_DIR_NOT_WRITABLE'
  | 'DATABASE_CORRUPT'
  | 'DATABASE_FROM_FUTURE'
  | 'DATABASE_LOCKED'
  | 'MIGRATION_EDITED'
  | 'NOT_A_CHRONICLE_DATABASE'

export class RepositoryError extends Error {
  override readonly name = 'RepositoryError'
  constructor(
    readonly code: RepositoryErrorCode,
    message: string,
  ) {
    super(message)
  }
}

interface SqliteLikeError {
  readonly code: string
}

function isSqliteError(error: unknown): error is Error & SqliteLikeError {
  return error instanceof Error && typeof (error as Partial<SqliteLikeError>).code === 'string'
}

/** Another connection held SQLite's lock past the busy timeout: worth trying again later, unlike corruption. */
export function isDatabaseBusy(error: unknown): boolean {
  return (
    isSqliteError(error) && (error.code.startsWith('SQLITE_BUSY') || error.code.startsWith('SQLITE_LOCKED'))
  )
}

/** Turns SQLite's low-level codes into the errors a person can act on; anything else is rethrown unchanged. */
export function explainSqliteError(error: unknown, file: string): never {
  if (isSqliteError(error)) {
    const code = error.code
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
      throw new RepositoryError(
        'DATABASE_CORRUPT',
        `${file} is not a readable SQLite database (${error.message}); move it aside or restore a backup, then start again.`,
      )
    }
    if (isDatabaseBusy(error)) {
      throw new RepositoryError(
        'DATABASE_LOCKED',
        `${file} is locked by another process; close the other Chronicle (or the program holding it) and try again.`,
      )
    }
    if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') {
      throw new RepositoryError(
        'DATA_DIR_NOT_WRITABLE',
        `Cannot write ${file} (${error.message}); choose a writable folder with --data-dir or CHRONICLE_DATA_DIR.`,
      )
    }
  }
  throw error
}
