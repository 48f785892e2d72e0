/**
 * `chronicle serve` as tests need it: the same application (app/application.ts) with the web host as its
 * listener, no source locations, and a one-file stand-in for the built renderer so no test waits for a Vite
 * build. Used in-process by tests and, through `serve-child.ts`, as a process of its own.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startApplication } from '../../app/application'
import { fileLogger } from '../../logger'
import { openRepository, type Repository } from '../../repository/repository'
import type { SyncRuntime } from '../../sync/sync-runtime'
import { startWebHost, type WebHost } from '../../web-host/web-host'

export interface ServeUnderTest {
  readonly host: WebHost
  readonly sync: SyncRuntime
  readonly repository: Repository
  close(): Promise<void>
}

export async function startServeUnderTest(dataDir: string): Promise<ServeUnderTest> {
  const rendererDir = join(dataDir, 'renderer-stand-in')
  mkdirSync(rendererDir, { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Chronicle</title>')
  const log = fileLogger(dataDir)
  const app = await startApplication<WebHost>({
    dataDir,
    log,
    kind: 'web',
    openRepository: () => openRepository({ dataDir }),
    watch: false,
    discover: () => [],
    listen: ({ sync, dispatch }) =>
      startWebHost({
        dispatcher: dispatch,
        rendererDir,
        log,
        port: 0,
        onSyncUpgrade: (request, socket, head) => sync.wsServer.handleUpgrade(request, socket, head),
      }),
  })
  return { host: app.listener, sync: app.sync, repository: app.repository, close: app.close }
}
