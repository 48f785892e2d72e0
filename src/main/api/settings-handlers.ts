/**
 * The settings part of the API: the sources imported and watched, "Import now" jobs, this device's name and the
 * price table costs are computed with.
 * The page never names a path to write. In the desktop app it names no path to read either: a source is chosen
 * in a folder dialog of the main process. The web host has no dialog (it may be headless, or seen from a browser
 * on another machine), so it takes a typed path, inside the user's home folder only, and answers a path outside
 * exactly as a missing one, so the page cannot learn what exists elsewhere on the machine. A price file is typed in
 * either host (there is no file dialog), under the same rule.
 */
import { isAbsolute } from 'node:path'
import type { ApiArgs, ApiResults, SettingsInfo } from '../../shared/api/contract'
import { fail, ok, type Result } from '../../shared/result'
import type { ImportSources } from '../import/import-sources'
import { jobAnswer } from '../jobs/job-registry'
import { realPathInside } from '../security/path-inside'
import { cleanDeviceName } from '../sync/device-identity'
import type { PriceServices } from '../usage/price-services'

/** What the settings handlers need of the running app. */
export interface SettingsServices {
  readonly dataDir: string
  readonly sources: ImportSources
  readonly device: () => { readonly id: string; readonly name: string }
  readonly renameDevice: (name: string) => Promise<unknown>
  /** The desktop app's folder dialog (null: cancelled). Where there is one, typed paths are refused. */
  readonly pickFolder?: () => Promise<string | null>
  /** The folders a typed path must lie in (the user's home folder). */
  readonly sourceRoots: readonly string[]
  /** The price table in use and changing it (usage/price-services.ts); absent where the process holds no store. */
  readonly prices?: PriceServices
}

type SettingsMethod =
  | 'settings'
  | 'addSource'
  | 'pickSourceFolder'
  | 'removeSource'
  | 'setSourceEnabled'
  | 'importStart'
  | 'importStatus'
  | 'importCancel'
  | 'renameDevice'
  | 'prices'
  | 'pricesUse'
  | 'pricesReset'

type SettingsHandlers = { [M in SettingsMethod]: (args: ApiArgs<M>) => Promise<Result<ApiResults[M]>> }

export function settingsHandlers(services: SettingsServices | undefined): SettingsHandlers {
  const info = (s: SettingsServices): SettingsInfo => ({
    dataDir: s.dataDir,
    device: s.device(),
    sources: s.sources.list(),
    problem: s.sources.problem,
    addSourceBy: s.pickFolder ? 'folder-picker' : 'typed-path',
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
  return {
    settings: async () => (services ? ok(info(services)) : unavailable),
    addSource: changing(async (s, args: ApiArgs<'addSource'>) => {
      if (s.pickFolder)
        return fail('USE_FOLDER_PICKER', 'In the desktop app, sources are added with "Choose folder…".')
      // A relative path gets the sources' own answer ("not a full path"), which names nothing on disk.
      if (!isAbsolute(args.path)) return s.sources.add(args.path, args.format)
      const path = await realPathInside(args.path, s.sourceRoots)
      if (path === null)
        return fail(
          'INVALID_PATH',
          `${args.path.slice(0, 300)} is not a folder or file Chronicle can read in ${s.sourceRoots.join(' or ')}.`,
        )
      return s.sources.add(path, args.format)
    }),
    pickSourceFolder: changing(async (s, args: ApiArgs<'pickSourceFolder'>) => {
      if (!s.pickFolder)
        return fail(
          'NO_FOLDER_PICKER',
          'This host has no folder dialog: type the path of the folder instead.',
        )
      const picked = await s.pickFolder()
      return picked === null ? ok(undefined) : s.sources.add(picked, args.format)
    }),
    removeSource: changing((s, args: ApiArgs<'removeSource'>) => s.sources.remove(args.path)),
    setSourceEnabled: changing((s, args: ApiArgs<'setSourceEnabled'>) =>
      s.sources.setEnabled(args.path, args.enabled),
    ),
    importStart: async (args) => (services ? services.sources.jobs.start(args.path ?? null) : unavailable),
    importStatus: async (args) =>
      services ? jobAnswer('import', args.jobId, services.sources.jobs.status(args.jobId)) : unavailable,
    importCancel: async (args) =>
      services ? jobAnswer('import', args.jobId, services.sources.jobs.cancel(args.jobId)) : unavailable,
    renameDevice: changing(async (s, args: ApiArgs<'renameDevice'>) => {
      const name = cleanDeviceName(args.name)
      if (name === null)
        return fail('INVALID_NAME', 'A device name needs at least one character that is not a space.')
      await s.renameDevice(name)
      return ok(undefined)
    }),
    ...priceHandlers(services),
  }
}

const noPrices = fail('PRICES_UNAVAILABLE', 'Prices cannot be changed in this process.')

/** A typed price file must lie in the same folders as a typed source, and is refused exactly as one outside. */
function priceHandlers(
  services: SettingsServices | undefined,
): Pick<SettingsHandlers, 'prices' | 'pricesUse' | 'pricesReset'> {
  return {
    prices: async () => (services?.prices ? ok(services.prices.info()) : noPrices),
    pricesUse: async (args) => {
      if (!services?.prices) return noPrices
      const path = isAbsolute(args.path) ? await realPathInside(args.path, services.sourceRoots) : null
      if (path === null)
        return fail(
          'INVALID_PATH',
          `${args.path.slice(0, 300)} is not a file Chronicle can read in ${services.sourceRoots.join(' or ')}; ` +
            'give its full path.',
        )
      return services.prices.use(path)
    },
    pricesReset: async () => (services?.prices ? services.prices.reset() : noPrices),
  }
}
