/**
 * The settings part of the API: the sources imported and watched, "Import now" jobs, and this device's name.
 * The page names paths to read (that is what a source is), never paths to write.
 */
import type { ApiArgs, ApiResults, SettingsInfo } from '../../shared/api/contract'
import { fail, ok, type Result } from '../../shared/result'
import type { ImportSources } from '../import/import-sources'
import { cleanDeviceName } from '../sync/device-identity'

/** What the settings handlers need of the running app. */
export interface SettingsServices {
  readonly dataDir: string
  readonly sources: ImportSources
  readonly device: () => { readonly id: string; readonly name: string }
  readonly renameDevice: (name: string) => Promise<unknown>
}

type SettingsMethod =
  | 'settings'
  | 'addSource'
  | 'removeSource'
  | 'setSourceEnabled'
  | 'importStart'
  | 'importStatus'
  | 'importCancel'
  | 'renameDevice'

type SettingsHandlers = { [M in SettingsMethod]: (args: ApiArgs<M>) => Promise<Result<ApiResults[M]>> }

export function settingsHandlers(services: SettingsServices | undefined): SettingsHandlers {
  const info = (s: SettingsServices): SettingsInfo => ({
    dataDir: s.dataDir,
    device: s.device(),
    sources: s.sources.list(),
    problem: s.sources.problem,
  })
  const unavailable = fail('SETTINGS_UNAVAILABLE', 'Settings are not available in this process.')
  /** Runs a change, then answers with the settings as they are after it. */
  const changing =
    <A>(work: (s: SettingsServices, args: A) => Result<void> | Promise<Result<void>>) =>
    async (args: A): Promise<Result<SettingsInfo>> => {
      if (!services) return unavailable
      const done = await work(services, args)
      return done.ok ? ok(info(services)) : done
    }
  const noJob = (jobId: string) =>
    fail('NOT_FOUND', `No import ${jobId.slice(0, 100)} is known (they are kept for a while only).`)
  return {
    settings: async () => (services ? ok(info(services)) : unavailable),
    addSource: changing((s, args: ApiArgs<'addSource'>) => s.sources.add(args.path, args.format)),
    removeSource: changing((s, args: ApiArgs<'removeSource'>) => s.sources.remove(args.path)),
    setSourceEnabled: changing((s, args: ApiArgs<'setSourceEnabled'>) =>
      s.sources.setEnabled(args.path, args.enabled),
    ),
    importStart: async (args) => (services ? services.sources.jobs.start(args.path ?? null) : unavailable),
    importStatus: async (args) => {
      if (!services) return unavailable
      const status = services.sources.jobs.status(args.jobId)
      return status ? ok(status) : noJob(args.jobId)
    },
    importCancel: async (args) => {
      if (!services) return unavailable
      const status = services.sources.jobs.cancel(args.jobId)
      return status ? ok(status) : noJob(args.jobId)
    },
    renameDevice: changing(async (s, args: ApiArgs<'renameDevice'>) => {
      const name = cleanDeviceName(args.name)
      if (name === null)
        return fail('INVALID_NAME', 'A device name needs at least one character that is not a space.')
      await s.renameDevice(name)
      return ok(undefined)
    }),
  }
}
