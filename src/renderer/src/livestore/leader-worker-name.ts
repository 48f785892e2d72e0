/**
 * The page names its leader worker, and the name carries the store's OPFS folder: the worker checks the store there
 * before LiveStore opens it (repair-store-in-opfs.ts), and knows nothing else of the page until LiveStore's
 * first message. The name also says when the page asked for the store to be rebuilt (store-rebuild.ts). When it
 * had to repair the store, it says so on a channel named after the folder: the page read the unrepaired state at
 * boot, so it loads again, once, and reads the repaired one.
 */
import { liveStoreStorageFormatVersion } from '@livestore/common'

const FOLDER_MARK = '#opfs:'
const REBUILD_MARK = '#rebuild'

export const leaderWorkerName = (name: string, directory: string, rebuild = false): string =>
  `${name}${rebuild ? REBUILD_MARK : ''}${FOLDER_MARK}${directory}`

/** Whether the page asked the worker to empty the store and pull it again. */
export const rebuildRequestedIn = (workerName: string): boolean =>
  workerName.includes(`${REBUILD_MARK}${FOLDER_MARK}`)

/** The OPFS folder LiveStore keeps the store in, as LiveStore 0.4 names it from the adapter's `directory`. */
export function opfsFolderOf(workerName: string): string | null {
  const at = workerName.indexOf(FOLDER_MARK)
  return at === -1 ? null : opfsFolder(workerName.slice(at + FOLDER_MARK.length))
}

/** The channel on which the leader says it repaired the store in `folder` (an OPFS folder, as opfsFolderOf gives). */
export const storeRepairedChannel = (folder: string): string => `chronicle-store-repaired:${folder}`

/** The channel on which the leader says how far it is in rebuilding the state of the store in `folder`. */
export const stateRebuildChannel = (folder: string): string => `chronicle-state-rebuild:${folder}`

/** The OPFS folder of the adapter's `directory` (the page's side of opfsFolderOf). */
export const opfsFolder = (directory: string): string => `${directory}@${liveStoreStorageFormatVersion}`
