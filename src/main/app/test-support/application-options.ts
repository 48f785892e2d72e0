/** The application as the tests start it: a real data directory, no sources, a real sync endpoint as listener. */
import { openRepository } from '../../repository/repository'
import { startSyncEndpoint } from '../../sync/sync-endpoint'
import type { ApplicationOptions, Listener } from '../application'

export function applicationOptions(dataDir: string, lines: string[]): ApplicationOptions<Listener> {
  return {
    dataDir,
    kind: 'web',
    log: (line) => void lines.push(line),
    openRepository: () => openRepository({ dataDir }),
    watch: false,
    discover: () => [],
    listen: async ({ upgrade }) => {
      const endpoint = await startSyncEndpoint({ handleUpgrade: upgrade })
      return { syncUrl: endpoint.url, close: () => endpoint.close() }
    },
  }
}

/** The parts the log says were closed at shutdown, in order. */
export const closedAtShutdown = (lines: readonly string[]) =>
  lines.flatMap((line) => /^shutdown: (.+) closed$/.exec(line)?.[1] ?? [])
