/**
 * The library's machines as the sync worker lists them (`GET /libraries/<storeId>/devices`, authorised with the
 * library token like the sync socket), checked field by field since they come over the network, and put in the
 * terms `chronicle sync status` and the Devices view show: online or last seen, behind by how many events, which
 * version, which one is this machine, and its name opened with the library key.
 */
import { readFileSync } from 'node:fs'
import type { RemoteMachine } from '../../shared/api/contract'
import { join } from 'node:path'
import { DEVICE_FILE } from './device-identity'
import type { LibraryKey } from './library-key'
import { MACHINE_ID_PATTERN, openMachineName, VERSION_PATTERN } from './machine-presence'

export interface ListedMachine {
  readonly machineId: string
  readonly connected: boolean
  readonly since: string
  readonly lastSeen: string
  readonly head: number | null
  readonly version: string
  readonly sealedName?: string
}

export interface DevicesReport {
  readonly storeId: string
  readonly head: number
  readonly machines: readonly ListedMachine[]
}

export type MachineListAnswer =
  | { readonly kind: 'listed'; readonly report: DevicesReport }
  | { readonly kind: 'refused'; readonly status: number; readonly error: string; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string }

const TIMEOUT_MS = 10_000
const MAX_MACHINES = 1000

export async function fetchMachineList(
  url: string,
  storeId: string,
  token: string,
): Promise<MachineListAnswer> {
  const target = new URL(`libraries/${storeId}/devices`, url.endsWith('/') ? url : `${url}/`)
  let response: Response
  let body: unknown
  try {
    response = await fetch(target, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
    body = await response.json().catch(() => null)
  } catch (error) {
    return {
      kind: 'failed',
      message: `cannot reach ${url} (${error instanceof Error ? error.message : String(error)})`,
    }
  }
  if (response.ok) {
    const report = parseDevicesReport(body)
    return report === null
      ? { kind: 'failed', message: `${url} answered with a list of machines that is not one` }
      : { kind: 'listed', report }
  }
  const { error, message } = (isRecord(body) ? body : {}) as { error?: unknown; message?: unknown }
  if (typeof error === 'string' && typeof message === 'string')
    return { kind: 'refused', status: response.status, error, message }
  return { kind: 'failed', message: `${url} answered HTTP ${response.status} to the list of machines` }
}

export function parseDevicesReport(value: unknown): DevicesReport | null {
  if (!isRecord(value) || typeof value.storeId !== 'string' || !isCount(value.head)) return null
  if (!Array.isArray(value.machines) || value.machines.length > MAX_MACHINES) return null
  const machines: ListedMachine[] = []
  for (const item of value.machines as unknown[]) {
    if (!isRecord(item)) return null
    const { machineId, connected, since, lastSeen, head, version, sealedName } = item
    if (typeof machineId !== 'string' || !MACHINE_ID_PATTERN.test(machineId)) return null
    if (typeof version !== 'string' || !VERSION_PATTERN.test(version)) return null
    if (typeof connected !== 'boolean' || !isTime(since) || !isTime(lastSeen)) return null
    if (head !== null && !isCount(head)) return null
    if (sealedName !== undefined && typeof sealedName !== 'string') return null
    machines.push({
      machineId,
      connected,
      since,
      lastSeen,
      head,
      version,
      ...(sealedName === undefined ? {} : { sealedName }),
    })
  }
  return { storeId: value.storeId, head: value.head, machines }
}

/** One machine in the terms `sync status` and the Devices view show (the API's own type). */
export type MachineView = RemoteMachine

export function viewMachines(
  report: DevicesReport,
  key: LibraryKey,
  thisMachineId: string | null,
): MachineView[] {
  return report.machines.map((machine) => ({
    machineId: machine.machineId,
    name:
      machine.sealedName === undefined
        ? null
        : openMachineName(key, report.storeId, machine.machineId, machine.sealedName),
    thisMachine: machine.machineId === thisMachineId,
    online: machine.connected,
    since: machine.since,
    lastSeen: machine.lastSeen,
    head: machine.head,
    behind: machine.head === null ? null : Math.max(0, report.head - machine.head),
    version: machine.version,
  }))
}

/** This data directory's device id, read without making one (`sync status` writes nothing). */
export function readThisMachineId(dataDir: string): string | null {
  try {
    const value: unknown = JSON.parse(readFileSync(join(dataDir, DEVICE_FILE), 'utf8'))
    return isRecord(value) && typeof value.id === 'string' && MACHINE_ID_PATTERN.test(value.id)
      ? value.id
      : null
  } catch {
    return null
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
const isTime = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value))
