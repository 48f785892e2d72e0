/**
 * This installation's device: a random id made on first run and kept in the data directory, and a name the user
 * may change (the host name until then). Every event carries the device id; the devices view shows the name.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { writeFileAtomicSync } from '../atomic-write'
import { PRIVATE_FILE_MODE } from '../private-files'

export interface DeviceIdentity {
  readonly id: string
  readonly name: string
}

export const DEVICE_FILE = 'device.json'

export function loadDeviceIdentity(dataDir: string): DeviceIdentity {
  const file = join(dataDir, DEVICE_FILE)
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<DeviceIdentity>
    if (typeof value.id === 'string' && /^[\w-]{8,64}$/.test(value.id))
      return { id: value.id, name: typeof value.name === 'string' ? value.name : hostname() }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(
        `${file} is not readable (${String(error)}); move it away to give this device a new identity`,
      )
  }
  const identity = { id: randomUUID(), name: hostname() }
  // 'wx': two processes starting at once must not both make an identity; the loser reads the winner's.
  try {
    writeFileSync(file, `${JSON.stringify(identity, null, 2)}\n`, { flag: 'wx', mode: PRIVATE_FILE_MODE })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadDeviceIdentity(dataDir)
    throw error
  }
  return identity
}

/** A device name as the user typed it, tidied: one line, no surrounding space, at most 100 characters. */
export function cleanDeviceName(name: string): string | null {
  const cleaned = name.replace(/\s+/g, ' ').trim().slice(0, 100)
  return cleaned === '' ? null : cleaned
}

/** Keeps a new name for this device (the id never changes); a crash leaves the old name or the new one. */
export function saveDeviceName(dataDir: string, identity: DeviceIdentity, name: string): DeviceIdentity {
  const renamed = { id: identity.id, name }
  writeFileAtomicSync(join(dataDir, DEVICE_FILE), `${JSON.stringify(renamed, null, 2)}\n`)
  return renamed
}
