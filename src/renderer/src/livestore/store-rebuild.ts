/**
 * A person's way out of a store that will not open (store-repair.ts mends the damage it knows; this is for the
 * rest): the page forgets its local copy and pulls it again from the hub. The request is kept in this tab's
 * session storage across one reload, and the leader worker carries it out before LiveStore opens the store.
 */
import { reloadPage } from './page-reload'

const requestKey = (directory: string) => `chronicle:rebuild-store:${directory}`

/** Each directory's request, taken once per page life (a render that runs twice must not lose it). */
const taken = new Map<string, boolean>()

/** Asks for the store in `directory` to be rebuilt, and loads the page again to do it. */
export function requestStoreRebuild(directory: string): void {
  sessionStorage.setItem(requestKey(directory), String(Date.now()))
  void reloadPage()
}

/** Whether this page load was asked to rebuild the store in `directory`; the request is used up. */
export function takeStoreRebuildRequest(directory: string): boolean {
  const known = taken.get(directory)
  if (known !== undefined) return known
  const asked = sessionStorage.getItem(requestKey(directory)) !== null
  sessionStorage.removeItem(requestKey(directory))
  taken.set(directory, asked)
  return asked
}
