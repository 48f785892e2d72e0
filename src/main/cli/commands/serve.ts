import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { makeDispatcher } from '../../api/handlers'
import { exportJobs } from '../../audit/export-jobs'
import { startLiveImport, type LiveImport } from '../../import/live-import'
import { fileLogger } from '../../logger'
import { ensureRendererBuilt } from '../../web-host/renderer-assets'
import { newLaunchToken } from '../../web-host/request-guard'
import { startWebHost } from '../../web-host/web-host'
import { writeHubAddress } from '../../sync/hub-address'
import { startSyncRuntime, type SyncRuntime } from '../../sync/sync-runtime'
import { EXIT, intOption, type CommandContext } from '../command-context'

const PACKAGE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

export async function serveCommand(context: CommandContext): Promise<number> {
  const { options, output } = context
  const port = intOption(options.port, 'port', 0, 65_535) ?? 0
  const log = fileLogger(options.dataDir)
  const repository = context.openRepository()
  const token = newLaunchToken()
  let host
  let sync: SyncRuntime | undefined
  try {
    const dir = await ensureRendererBuilt(PACKAGE_ROOT, output.err)
    sync = await startSyncRuntime({ dataDir: options.dataDir, repository, token, kind: 'web', log })
    const wsServer = sync.wsServer
    // Pages ask for the hub's address once the host listens (before that, no page can ask anything).
    let syncUrl: string | null = null
    host = await startWebHost({
      dispatcher: makeDispatcher(
        repository,
        log,
        { ...sync, hubAccess: () => (syncUrl === null ? null : { url: syncUrl, token }) },
        exportJobs(repository, { dataDir: options.dataDir, device: sync.device }),
      ),
      rendererDir: dir,
      port,
      log,
      token,
      onSyncUpgrade: (request, socket, head) => wsServer.handleUpgrade(request, socket, head),
    })
    syncUrl = host.syncUrl
  } catch (error) {
    await sync?.close()
    await repository.close()
    const code = (error as { code?: unknown }).code
    if (code === 'EADDRINUSE') {
      output.err(
        `chronicle serve: port ${port} is in use on 127.0.0.1; choose another with --port N (or 0 for any free port)`,
      )
      return EXIT.failure
    }
    throw error
  }
  const forgetHub = writeHubAddress(options.dataDir, { url: host.syncUrl, token, pid: process.pid })
  // Keeps the repository current with what the assistants write, as the desktop app does (--no-watch: off).
  const live: LiveImport | null = options.noWatch
    ? null
    : startLiveImport(repository, log, (run) => sync.recordImport(run))
  output.out(`Chronicle is serving ${options.dataDir} at ${host.url}`)
  if (live && live.locations.length > 0) output.out(`Importing live from ${live.locations.join(', ')}`)
  output.out('Press Ctrl-C to stop.')
  if (options.open) openInBrowser(host.url)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await live?.close()
  forgetHub()
  await sync.close()
  await host.close()
  await repository.close()
  return EXIT.ok
}

function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]]
  spawn(command, args, { stdio: 'ignore', detached: true })
    .on('error', () => undefined)
    .unref()
}
