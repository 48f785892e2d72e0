/**
 * How local clients (the device simulator, a second window) find the running hub: the process that serves it
 * writes its WebSocket URL and token to `hub.json` in the data directory, readable by this user only, and removes
 * it when it stops. A file left by a process that died is recognised by its pid and ignored.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface HubAddress {
  readonly url: string
  readonly token: string
  readonly pid: number
}

export const HUB_FILE = 'hub.json'

export function writeHubAddress(dataDir: string, address: HubAddress): () => void {
  const file = join(dataDir, HUB_FILE)
  writeFileSync(file, JSON.stringify(address), { mode: 0o600 })
  return () => {
    try {
      if ((JSON.parse(readFileSync(file, 'utf8')) as HubAddress).pid === address.pid) rmSync(file)
    } catch {
      // Already gone or replaced by a newer hub: nothing of ours to remove.
    }
  }
}

/** The running hub's address, or a sentence saying why there is none. */
export function readHubAddress(dataDir: string): HubAddress | string {
  const file = join(dataDir, HUB_FILE)
  let address: Partial<HubAddress>
  try {
    address = JSON.parse(readFileSync(file, 'utf8')) as Partial<HubAddress>
  } catch {
    return `no Chronicle hub is running on ${dataDir}; start the app or \`chronicle serve --data-dir ${dataDir}\` first`
  }
  if (typeof address.url !== 'string' || typeof address.token !== 'string' || typeof address.pid !== 'number')
    return `${file} is damaged; restart the app or chronicle serve to rewrite it`
  try {
    process.kill(address.pid, 0)
  } catch {
    return `the hub that wrote ${file} (pid ${address.pid}) is no longer running; start the app or chronicle serve`
  }
  return { url: address.url, token: address.token, pid: address.pid }
}
