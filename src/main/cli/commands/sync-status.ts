/**
 * `chronicle sync status` and `chronicle sync leave`: what this data directory's remote is and whether its worker
 * accepts this machine's key right now, and taking the remote away while keeping the local library.
 *
 * Status asks the worker each time it runs (sync-settings-remote.ts checkConnection), so "refused" and "unreachable"
 * are today's answers, each in the worker's or the network's own words. Once the worker accepts the key, it also
 * lists the library's machines as the worker knows them (machine-list.ts): online or last seen, behind by how many
 * events, version, this one marked. What the running relay knows (its connection, both heads, the changes waiting
 * to go up) comes from the file the app or `serve` keeps while it runs (relay-status-file.ts); `relay` is null when
 * none runs here. Not being able to list the machines does not change the exit code.
 */
import { existsSync } from 'node:fs'
import type { BodiesStatus } from '../../../shared/api/contract'
import { readRelayReport, type RelayReport } from '../../relay/relay-status-file'
import { deriveSyncKeys, type LibraryKey } from '../../sync/library-key'
import { libraryKeyPath, readLibraryKey } from '../../sync/library-key-file'
import { fetchMachineList, readThisMachineId, viewMachines, type MachineView } from '../../sync/machine-list'
import { machineLine } from '../../sync/machine-list-text'
import { leaveLibrary } from '../../sync/library-membership'
import { readSyncSettings, syncSettingsPath } from '../../sync/sync-settings'
import { checkConnection, type WorkerAnswer } from '../../sync/sync-settings-remote'
import { EXIT, type CommandContext } from '../command-context'
import { formatInt } from '../terminal'

type Connection =
  | { readonly state: 'accepted' }
  | { readonly state: 'refused'; readonly status: number; readonly error: string; readonly message: string }
  | { readonly state: 'failed'; readonly status: number; readonly message: string }
  | { readonly state: 'unreachable'; readonly message: string }
  | { readonly state: 'no-key'; readonly message: string }

function connectionOf(answer: WorkerAnswer): Connection {
  switch (answer.kind) {
    case 'accepted':
    case 'claimed':
      return { state: 'accepted' }
    case 'refused':
      return { state: 'refused', status: answer.status, error: answer.error, message: answer.message }
    case 'failed':
      return { state: 'failed', status: answer.status, message: answer.message }
    case 'unreachable':
      return { state: 'unreachable', message: answer.message }
  }
}

function describe(connection: Connection): string {
  switch (connection.state) {
    case 'accepted':
      return "connected: the worker accepts this machine's key"
    case 'refused':
      return `refused by the worker (HTTP ${connection.status} ${connection.error}): ${connection.message}`
    case 'failed':
      return `error: ${connection.message}`
    case 'unreachable':
      return `offline: ${connection.message}`
    case 'no-key':
      return `no key: ${connection.message}`
  }
}

type Machines =
  | { readonly state: 'listed'; readonly libraryHead: number; readonly list: readonly MachineView[] }
  | { readonly state: 'not-listed'; readonly message: string }

async function listMachines(
  dataDir: string,
  settings: { readonly url: string; readonly storeId: string },
  key: LibraryKey,
): Promise<Machines> {
  const token = deriveSyncKeys(key, settings.storeId).workerToken
  const answer = await fetchMachineList(settings.url, settings.storeId, token)
  if (answer.kind === 'listed') {
    const list = viewMachines(answer.report, key, readThisMachineId(dataDir))
    return { state: 'listed', libraryHead: answer.report.head, list }
  }
  const message =
    answer.kind === 'refused' ? `HTTP ${answer.status} ${answer.error}: ${answer.message}` : answer.message
  return { state: 'not-listed', message }
}

function printMachines(out: (line: string) => void, machines: Machines | null): void {
  if (machines === null) return
  if (machines.state === 'not-listed') return out(`Machines: not listed (${machines.message})`)
  if (machines.list.length === 0)
    return out('Machines: none listed yet (a machine is listed once its running app connects).')
  out(`Machines (the library has ${machines.libraryHead} events):`)
  const now = new Date()
  for (const machine of machines.list) out(machineLine(machine, now))
}

export async function status(context: CommandContext): Promise<number> {
  const { dataDir, json } = context.options
  const { out } = context.output
  const settings = readSyncSettings(dataDir)
  if (settings === null) {
    const strayKey = existsSync(libraryKeyPath(dataDir))
    if (json)
      out(
        JSON.stringify({
          configured: false,
          dataDir,
          strayKey,
          connection: null,
          machines: null,
          relay: null,
        }),
      )
    else {
      out(`Sync: not set up for ${dataDir}.`)
      if (strayKey)
        out(
          `${libraryKeyPath(dataDir)} is left from an interrupted setup or join; \`chronicle sync leave\` removes it.`,
        )
      out(
        'Set up with `chronicle sync setup URL`, or join with `chronicle sync join -` and the pairing code.',
      )
    }
    return EXIT.ok
  }
  const key = readLibraryKey(dataDir)
  const connection: Connection =
    key === null
      ? {
          state: 'no-key',
          message: `${libraryKeyPath(dataDir)} is missing; run \`chronicle sync leave\`, then join again with a pairing code`,
        }
      : connectionOf(
          await checkConnection(
            settings.url,
            settings.storeId,
            deriveSyncKeys(key, settings.storeId).workerToken,
          ),
        )
  const machines =
    key !== null && connection.state === 'accepted' ? await listMachines(dataDir, settings, key) : null
  const relay = readRelayReport(dataDir)
  if (json) out(JSON.stringify({ configured: true, dataDir, ...settings, connection, machines, relay }))
  else {
    out(`Sync: library ${settings.storeId} on ${settings.url}`)
    out(`${settings.role === 'set-up' ? 'Set up here' : 'Joined'}: ${settings.joinedAt}`)
    out(`Worker: ${describe(connection)}`)
    printMachines(out, machines)
    out(relayLine(relay))
    if (relay !== null && relay.refused.count > 0) out(refusedLine(relay.refused))
    const bodies = relay?.bodies
    if (bodies && bodies.toFetch + bodies.toStore + bodies.imagesToFetch > 0) out(bodiesLine(bodies))
  }
  return connection.state === 'no-key' ? EXIT.failure : EXIT.ok
}

/** The running relay's view, or why there is none: heads and changes waiting are known only while it runs. */
function relayLine(relay: RelayReport | null): string {
  if (relay === null) return 'Relay: not running (start the app or `chronicle serve` to sync this machine).'
  const { connection } = relay
  const state =
    connection.state === 'connected'
      ? `connected since ${new Date(connection.since).toISOString()}${connection.caughtUp ? '' : ', catching up'}`
      : connection.state === 'unreachable'
        ? `offline (${connection.reason})`
        : connection.state === 'refused'
          ? `refused (${connection.reason})`
          : connection.state
  const heads =
    relay.remoteHead === null
      ? `this machine holds ${relay.localHead} events`
      : `this machine holds ${relay.localHead} of the worker's ${relay.remoteHead} events`
  const waiting = relay.waiting === 0 ? 'nothing waiting' : `${relay.waiting} changes waiting to go up`
  return `Relay (pid ${relay.pid}): ${state}; ${heads}; ${waiting}.`
}

/** Bodies move apart from events: a conversation can be listed here while its text is still on its way. */
function bodiesLine({ toFetch, toStore, imagesToFetch, problem }: BodiesStatus): string {
  const parts = [
    toFetch > 0 && `${formatInt(toFetch)} message bodies to fetch from your other machines`,
    toStore > 0 && `${formatInt(toStore)} to store on the worker`,
    imagesToFetch > 0 && `${formatInt(imagesToFetch)} ${imagesToFetch === 1 ? 'image' : 'images'} to fetch`,
  ].filter(Boolean)
  return `Bodies: ${parts.join('; ')}${problem === null ? '.' : ` (stopped: ${problem.replace(/\.+$/, '')}).`}`
}

/** Refused events need a person: they are another machine's bug or an attack, and the trail has each one. */
function refusedLine({ count, last }: RelayReport['refused']): string {
  const events = count === 1 ? '1 event' : `${count} events`
  // The reason names the event and its place (relay-replica.ts); it may end a sentence of its own.
  const latest = last === null ? '' : ` The latest: ${last.reason.replace(/\.+$/, '')}.`
  return (
    `Refused: ${events} from the worker, kept as refused in the library's trail and applied nowhere.${latest}` +
    ' The Audit view and `chronicle audit export --action RemoteEventRefused` list them all.'
  )
}

export async function leave(context: CommandContext): Promise<number> {
  const { dataDir, json } = context.options
  const { out } = context.output
  const { removedSettings, removedKey, left } = leaveLibrary(dataDir)
  const keyFile = libraryKeyPath(dataDir)
  if (json) {
    out(JSON.stringify({ dataDir, removedSettings, removedKey, left, localLibraryKept: true }))
    return EXIT.ok
  }
  if (!removedSettings && !removedKey) {
    out(`Sync: not set up for ${dataDir}; nothing to remove. The local library is untouched.`)
    return EXIT.ok
  }
  const removed = [removedSettings && syncSettingsPath(dataDir), removedKey && keyFile].filter(Boolean)
  out(
    left
      ? `Left library ${left.storeId} on ${left.url}; the worker and your other machines keep it.`
      : 'Left sync.',
  )
  out(`Removed ${removed.join(' and ')}.`)
  out(
    `The local library in ${dataDir} is kept: its conversations, search and audit trail stay on this machine.`,
  )
  return EXIT.ok
}
