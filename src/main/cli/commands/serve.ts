import { fileURLToPath } from 'node:url'
import { appDispatcher } from '../../api/app-dispatcher'
import { startImportSources, type ImportSources } from '../../import/import-sources'
import { fileLogger } from '../../logger'
import { ensureRendererBuilt } from '../../web-host/renderer-assets'
import { newLaunchToken } from '../../web-host/request-guard'
import { rememberedPort, rememberPort } from '../../web-host/remembered-port'
import { startWebHost, type WebHostOptions } from '../../web-host/web-host'
import { writeHubAddress } from '../../sync/hub-address'
import { startSyncRuntime, type SyncRuntime } from '../../sync/sync-runtime'
import { EXIT, intOption, type CommandContext } from '../command-context'
import { openInBrowser } from '../open-in-browser'

const PACKAGE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

export async function serveCommand(context: CommandContext): Promise<number> {
  const { options, output } = context
  const chosenPort = intOption(options.port, 'port', 0, 65_535)
  // Without --port, the port of the last launch: the page's store lives under its origin (remembered-port.ts).
  const remembered = chosenPort === undefined ? rememberedPort(options.dataDir) : null
  const port = chosenPort ?? remembered ?? 0
  const log = fileLogger(options.dataDir)
  const repository = context.openRepository()
  const token = newLaunchToken()
  let host
  let sync: SyncRuntime | undefined
  let sources: ImportSources | undefined
  try {
    const dir = await ensureRendererBuilt(PACKAGE_ROOT, output.err)
    sync = await startSyncRuntime({ dataDir: options.dataDir, repository, kind: 'web', log })
    const wsServer = sync.wsServer
    // Pages ask for the hub's address once the host listens (before that, no page can ask anything).
    let syncUrl: string | null = null
    const runtime = sync
    // Keeps the repository current with what the assistants write, as the desktop app does (--no-watch: off).
    const watched = startImportSources({
      repository,
      dataDir: options.dataDir,
      log,
      record: (run) => runtime.recordImport(run),
      watch: !options.noWatch,
    })
    sources = watched
    const hostOptions: Omit<WebHostOptions, 'port'> = {
      dispatcher: appDispatcher({
        repository,
        log,
        dataDir: options.dataDir,
        sync: runtime,
        sources: watched,
        hubAccess: () =>
          syncUrl === null ? null : { url: syncUrl, token: runtime.credentials.pageCredential },
      }),
      rendererDir: dir,
      log,
      token,
      onSyncUpgrade: (request, socket, head) => wsServer.handleUpgrade(request, socket, head),
    }
    host = await startWebHost({ ...hostOptions, port }).catch((error: unknown) => {
      if (remembered === null || (error as { code?: unknown }).code !== 'EADDRINUSE') throw error
      output.err(
        `Port ${remembered} (the last launch's) is taken; serving on another one, where the page builds its ` +
          'local copy of the library again.',
      )
      return startWebHost({ ...hostOptions, port: 0 })
    })
    rememberPort(options.dataDir, host.port)
    syncUrl = host.syncUrl
  } catch (error) {
    await sources?.close()
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
  const forgetHub = writeHubAddress(options.dataDir, {
    url: host.syncUrl,
    token: sync.credentials.deviceCredential,
    pid: process.pid,
  })
  output.out(`Chronicle is serving ${options.dataDir} at ${host.url}`)
  const watching = sources.watching()
  if (watching.length > 0) output.out(`Importing live from ${watching.join(', ')}`)
  output.out('Press Ctrl-C to stop.')
  // Through a file, so the token is on no command line (open-in-browser.ts).
  const forgetOpenFile = options.open ? openInBrowser(host.url, options.dataDir) : () => undefined
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  forgetOpenFile()
  await sources.close()
  forgetHub()
  await sync.close()
  await host.close()
  await repository.close()
  return EXIT.ok
}
