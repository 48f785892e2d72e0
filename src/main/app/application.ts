/**
 * The application as every host runs it, started and closed in one order: the Electron entry and `chronicle serve`
 * differ only in how pages reach it (a window over IPC and a sync endpoint, or the web host), which they pass in
 * as `listen`.
 *
 * Start: repository → data directory lock (one store per library, data-dir-lock.ts) → sync runtime (hub, main
 * store, bridge, and the relay when sync.json names a remote) → its status file (for `sync status`) → import sources →
 * listener → hub address.
 * Close, in reverse: local programs stop finding the hub; pages and devices disconnect (their departure is still
 * recorded); running imports finish and watching stops; the bridge drains what they wrote and LiveStore's leader
 * persists every event (quitting earlier loses them); the repository closes last. A start that fails part-way
 * closes what it had started, in the same order.
 *
 * Setting up, joining or leaving a library while the application runs (`resync`) closes the sync runtime, its
 * status file and the sources the same way, lets the change run on a repository nothing else writes to, and opens
 * them again as the settings now say (sync-parts.ts). The listener and the hub address stay: the API and the hub's
 * upgrades go to whichever parts are open, and the hub's credentials carry over, so pages and local programs
 * reconnect with what they hold.
 */
import type { ApiDispatcher } from '../api/handlers'
import type { ImportSourcesOptions } from '../import/import-sources'
import { lockDataDir } from '../data-dir-lock'
import type { Log } from '../logger'
import type { Repository } from '../repository/repository'
import { writeHubAddress } from '../sync/hub-address'
import { MembershipRefusal } from '../sync/library-membership-guards'
import { heldUpgrades, type Upgrade } from './held-upgrades'
import { membershipServices } from './sync-membership'
import { openSyncParts, SYNC_PARTS, type SyncPart, type SyncParts } from './sync-parts'

/** What the page asks about a setup or join while it re-opens sync: answers that need none of the parts. */
const ANSWERED_DURING_REOPEN: ReadonlySet<unknown> = new Set(['syncMembershipProgress'])

/** What a host needs to serve pages: the parts, and the API the pages call. */
export interface ApplicationCore extends SyncParts {
  readonly dataDir: string
  readonly repository: Repository
  /** Hands a WebSocket upgrade to the hub open now; while sync re-opens, it waits for the new hub (held-upgrades.ts). */
  readonly upgrade: Upgrade
}

/** How pages and local programs reach the application: its hub's WebSocket address, and how to stop listening. */
export interface Listener {
  readonly syncUrl: string
  close(): Promise<void>
}

export interface ApplicationOptions<L extends Listener> {
  readonly dataDir: string
  readonly log: Log
  readonly kind: 'desktop' | 'web'
  /** Opens the repository; its errors (a locked or newer database) reach the caller before anything else starts. */
  readonly openRepository: () => Repository
  /** Import live from the assistants' folders (default true; `chronicle serve --no-watch`: false). */
  readonly watch?: boolean
  /** Tests name their own source locations instead of this machine's. */
  readonly discover?: ImportSourcesOptions['discover']
  /** The desktop app's folder dialog for new sources. */
  readonly pickFolder?: () => Promise<string | null>
  /** Starts listening once the parts run; the API answers pages only from then on. */
  readonly listen: (core: ApplicationCore) => Promise<L>
}

export interface Application<L extends Listener> extends ApplicationCore {
  readonly listener: L
  /**
   * Closes sync and the sources, runs `change` (which writes or removes sync.json and the key), and opens them again
   * as the files then say. When `change` fails, they open again as they were, and its error is thrown.
   */
  resync<T>(change: () => Promise<T>): Promise<T>
  /** Closes everything in the order above; a step that fails is logged and the next ones still run. */
  close(): Promise<void>
}

/** The parts in start order; closing walks it backwards. */
export const PARTS = [
  'repository',
  'lock',
  'sync',
  'sync status file',
  'sources',
  'listener',
  'hub address',
] as const
type Part = (typeof PARTS)[number]

export async function startApplication<L extends Listener>(
  options: ApplicationOptions<L>,
): Promise<Application<L>> {
  const { dataDir, log } = options
  const started: { part: Part; close: () => unknown }[] = []
  const closeParts = async (parts: { part: Part; close: () => unknown }[], why = 'shutdown') => {
    for (const { part, close: closePart } of parts.reverse()) {
      try {
        await closePart()
        log(`${why}: ${part} closed`)
      } catch (error) {
        log(`${why}: closing ${part} failed: ${String(error)}`)
      }
    }
  }
  let open: SyncParts | null = null
  /** Set while sync re-opens: the API and the hub's upgrades wait for it. */
  let reopening: Promise<unknown> | null = null
  const held = heldUpgrades()
  let closing: Promise<void> | null = null
  const close = () => {
    closing ??= (async () => {
      await reopening?.catch(() => undefined)
      held.dropAll()
      await closeParts(started.splice(0))
    })()
    return closing
  }

  try {
    const repository = options.openRepository()
    started.push({ part: 'repository', close: () => repository.close() })
    const unlock = lockDataDir(dataDir, options.kind === 'desktop' ? 'the Chronicle app' : 'chronicle serve')
    started.push({ part: 'lock', close: unlock })
    let listener: L | null = null
    // Calls resync, which exists once the application does; Settings asks only after that.
    const membership = membershipServices({ dataDir, log, resync: (change) => resync(change) })
    /** The group of sync parts, each pushed into `into` as it starts. */
    const openGroup = (
      into: { part: Part; close: () => unknown }[],
      credentials?: SyncParts['sync']['credentials'],
    ) =>
      openSyncParts(
        {
          dataDir,
          log,
          kind: options.kind,
          repository,
          watch: options.watch ?? true,
          ...(options.discover && { discover: options.discover }),
          ...(options.pickFolder && { pickFolder: options.pickFolder }),
          hubUrl: () => listener?.syncUrl ?? null,
          membership,
          ...(credentials && { credentials }),
        },
        (part: SyncPart, closePart) => into.push({ part, close: closePart }),
      )
    open = await openGroup(started)
    const current = () => open as SyncParts
    const dispatch: ApiDispatcher = async (method, args) => {
      if (!ANSWERED_DURING_REOPEN.has(method)) await reopening?.catch(() => undefined)
      return current().dispatch(method, args)
    }
    const upgrade: ApplicationCore['upgrade'] = (request, socket, head) => {
      if (reopening !== null) held.hold(request, socket, head)
      else current().sync.wsServer.handleUpgrade(request, socket, head)
    }
    const core: ApplicationCore = {
      dataDir,
      repository,
      get sync() {
        return current().sync
      },
      get sources() {
        return current().sources
      },
      dispatch,
      upgrade,
    }
    const listening = await options.listen(core)
    listener = listening
    started.push({
      part: 'listener',
      close: () => {
        // A server stops only when its connections end, and upgraded hub sockets are not its to end: drop them.
        const closed = listening.close()
        current().sync.wsServer.dropAll()
        return closed
      },
    })
    // Local programs (the simulator, a second window) find the hub here, with the credential of this machine's devices.
    const forgetHub = writeHubAddress(dataDir, {
      url: listening.syncUrl,
      token: current().sync.credentials.deviceCredential,
      pid: process.pid,
    })
    started.push({ part: 'hub address', close: forgetHub })

    async function reopen<T>(change: () => Promise<T>): Promise<T> {
      const credentials = current().sync.credentials
      // The group's parts lie together in `started` (they start one after the other), and go back where they were.
      const at = started.findIndex(({ part }) => part === 'sync')
      const group = started.splice(at, SYNC_PARTS.length)
      // Pages and devices leave first, so their departure is recorded before the store closes.
      current().sync.wsServer.dropAll()
      // Each step's time is logged: the page waits for all of them, with a spinner.
      const began = Date.now()
      await closeParts(group, 'sync settings change')
      const closed = Date.now()
      try {
        return await change()
      } finally {
        const changed = Date.now()
        const fresh: typeof started = []
        try {
          open = await openGroup(fresh, credentials)
        } finally {
          started.splice(at, 0, ...fresh)
          const opened = Date.now()
          log(
            `sync: a settings change took ${closed - began} ms to close sync, ${changed - closed} ms to change, ` +
              `${opened - changed} ms to open again`,
          )
        }
      }
    }
    function resync<T>(change: () => Promise<T>): Promise<T> {
      if (closing !== null)
        return Promise.reject(new MembershipRefusal('Chronicle is closing; nothing was changed'))
      if (reopening !== null)
        return Promise.reject(
          new MembershipRefusal('sync is already being changed; try again once that is done'),
        )
      const running = reopen(change)
      reopening = running
      void running
        .catch(() => undefined)
        .then(() => {
          reopening = null
          if (closing !== null) held.dropAll()
          else
            held.release((request, socket, head) =>
              current().sync.wsServer.handleUpgrade(request, socket, head),
            )
        })
      return running
    }
    // Onto `core` itself, not a spread of it: its getters must stay getters, since a re-open replaces the parts.
    return Object.assign(core, { listener: listening, resync, close })
  } catch (error) {
    await close()
    throw error
  }
}
