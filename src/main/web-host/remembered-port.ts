/**
 * The web host's port, kept from one launch to the next in the data directory. The page keeps its LiveStore in
 * the browser's storage for its origin, and the port is part of the origin: on a new port the page starts from an
 * empty store and pulls the whole eventlog again (minutes for a large library) instead of opening in a second.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writePrivateFile } from '../private-files'

const FILE = 'web-host.json'

/** The port the last launch listened on, if any was kept (a damaged file is as good as none). */
export function rememberedPort(dataDir: string): number | null {
  try {
    const { port } = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as { port?: unknown }
    return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65_536 ? port : null
  } catch {
    return null
  }
}

export function rememberPort(dataDir: string, port: number): void {
  writePrivateFile(join(dataDir, FILE), JSON.stringify({ port }))
}
