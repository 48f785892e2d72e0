import { accessSync, constants, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileLogger } from './logger'
import { ensurePrivateDir, octalMode } from './private-files'
import { RepositoryError } from './repository/errors'

export const APP_NAME = 'Chronicle'

/** Where Electron's app.getPath('userData') puts an app named Chronicle, so the CLI and the app share one folder. */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_NAME)
}

/** --data-dir wins over CHRONICLE_DATA_DIR, which wins over the platform default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag || env.CHRONICLE_DATA_DIR || defaultDataDir(process.platform, env))
}

/**
 * Creates the folder if needed (0700: private-files.ts) and proves it is writable, with an error that says how to
 * fix it. A folder others could enter is made private, and the log says so (once: it stays private).
 */
export function ensureWritableDir(dir: string): void {
  try {
    const tightenedFrom = ensurePrivateDir(dir)
    if (tightenedFrom !== null)
      fileLogger(dir)(
        `data directory ${dir} was open to other users (${octalMode(tightenedFrom)}); set to ${octalMode(tightenedFrom & 0o700)}`,
      )
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' })
    accessSync(dir, constants.W_OK | constants.R_OK | constants.X_OK)
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error)
    throw new RepositoryError(
      'DATA_DIR_NOT_WRITABLE',
      `Data directory ${dir} is not writable (${reason}); choose another with --data-dir DIR or CHRONICLE_DATA_DIR.`,
    )
  }
}
