/**
 * `chronicle serve` as tests need it: the same parts composed the same way (repository, sync runtime with the hub,
 * the app's API, the web host taking the hub's WebSocket upgrades), with a one-file stand-in for the built renderer
 * so no test waits for a Vite build. Used in-process by tests and, through `serve-child.ts`, as a process of its own.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { appDispatcher } from '../../api/app-dispatcher'
import { startImportSources } from '../../import/import-sources'
import { fileLogger } from '../../logger'
import { openRepository, type Repository } from '../../repository/repository'
import { startSyncRuntime, type SyncRuntime } from '../../sync/sync-runtime'
import { newLaunchToken } from '../../web-host/request-guard'
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
  const repository = openRepository({ dataDir })
  const token = newLaunchToken()
  const sync = await startSyncRuntime({ dataDir, repository, kind: 'web', log })
  const sources = startImportSources({ repository, dataDir, log, discover: () => [], watch: false })
  let syncUrl: string | null = null
  const host = await startWebHost({
    dispatcher: appDispatcher({
      repository,
      log,
      dataDir,
      sync,
      sources,
      hubAccess: () => (syncUrl === null ? null : { url: syncUrl, token: sync.credentials.pageCredential }),
    }),
    rendererDir,
    log,
    token,
    port: 0,
    onSyncUpgrade: (request, socket, head) => sync.wsServer.handleUpgrade(request, socket, head),
  })
  syncUrl = host.syncUrl
  return {
    host,
    sync,
    repository,
    async close() {
      await sources.close()
      await sync.close()
      await host.close()
      await repository.close()
    },
  }
}
