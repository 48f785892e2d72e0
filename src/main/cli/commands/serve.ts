/**
 * `chronicle serve`: the application (app/application.ts) with the web host as its listener, on the port of the
 * last launch unless --port says otherwise, until Ctrl-C or SIGTERM.
 */
import { startApplication } from '../../app/application'
import { fileLogger } from '../../logger'
import { packageRootOf } from '../../package-root'
import { ensureRendererBuilt } from '../../web-host/renderer-assets'
import { newLaunchToken } from '../../web-host/request-guard'
import { rememberedPort, rememberPort } from '../../web-host/remembered-port'
import { startWebHost, type WebHost } from '../../web-host/web-host'
import { EXIT, intOption, type CommandContext } from '../command-context'
import { openInBrowser } from '../open-in-browser'

export async function serveCommand(context: CommandContext): Promise<number> {
  const { options, output } = context
  const chosenPort = intOption(options.port, 'port', 0, 65_535)
  // Without --port, the port of the last launch: the page's store lives under its origin (remembered-port.ts).
  const remembered = chosenPort === undefined ? rememberedPort(options.dataDir) : null
  const port = chosenPort ?? remembered ?? 0
  const log = fileLogger(options.dataDir)
  const rendererDir = await ensureRendererBuilt(packageRootOf(import.meta.url), output.err)
  const token = newLaunchToken()
  let app
  try {
    app = await startApplication<WebHost>({
      dataDir: options.dataDir,
      log,
      kind: 'web',
      // The page's "Did you mean" must not hold up the hub and the other calls (suggestion-thread.ts).
      openRepository: () => context.openRepository({ suggestOnWorker: true }),
      watch: !options.noWatch,
      listen: async ({ upgrade, dispatch }) => {
        const start = (on: number) =>
          startWebHost({
            dispatcher: dispatch,
            rendererDir,
            log,
            token,
            port: on,
            onSyncUpgrade: upgrade,
          })
        return start(port).catch((error: unknown) => {
          if (remembered === null || (error as { code?: unknown }).code !== 'EADDRINUSE') throw error
          output.err(
            `Port ${remembered} (the last launch's) is taken; serving on another one, where the page builds its ` +
              'local copy of the library again.',
          )
          return start(0)
        })
      },
    })
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      output.err(
        `chronicle serve: port ${port} is in use on 127.0.0.1; choose another with --port N (or 0 for any free port)`,
      )
      return EXIT.failure
    }
    throw error
  }
  const host = app.listener
  rememberPort(options.dataDir, host.port)
  output.out(`Chronicle is serving ${options.dataDir} at ${host.url}`)
  const watching = app.sources.watching()
  if (watching.length > 0) output.out(`Importing live from ${watching.join(', ')}`)
  output.out('Press Ctrl-C to stop.')
  // Through a file, so the token is on no command line (open-in-browser.ts).
  const forgetOpenFile = options.open ? openInBrowser(host.url, options.dataDir) : () => undefined
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  forgetOpenFile()
  await app.close()
  // Asked to stop, it stops: a part whose close failed (logged) must not keep the process up with a socket left open.
  setTimeout(() => {
    log('shutdown: something was still open 5 s after closing; exiting')
    process.exit(EXIT.ok)
  }, 5_000).unref()
  return EXIT.ok
}
