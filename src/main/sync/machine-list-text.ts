/**
 * The library's machines as `chronicle sync status` prints them, one line each: this machine marked, online since
 * or last seen (with how long ago), behind by how many events, which version.
 */
import type { MachineView } from './machine-list'

export function machineLine(machine: MachineView, now: Date): string {
  const label = machine.name ?? `machine ${machine.machineId.slice(0, 8)}`
  const marker = machine.thisMachine ? '* ' : '  '
  const presence = machine.online
    ? `online since ${machine.since} (${ago(machine.since, now)})`
    : `last seen ${machine.lastSeen} (${ago(machine.lastSeen, now)})`
  const behind =
    machine.behind === null
      ? 'has not pulled yet'
      : machine.behind === 0
        ? 'up to date'
        : `behind by ${machine.behind} event${machine.behind === 1 ? '' : 's'}`
  const self = machine.thisMachine ? ' (this machine)' : ''
  return `${marker}${label}${self}: ${presence}, ${behind}, version ${machine.version}`
}

function ago(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000))
  if (seconds < 60) return `${seconds} s ago`
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.round(minutes / 60)
  if (hours < 48) return `${hours} h ago`
  return `${Math.round(hours / 24)} days ago`
}
