/**
 * A page's copy of the store belongs to one hub eventlog, named by the hub's backend id. When the machine joins
 * another library (merge-on-join.ts on the main side), its hub gives up its eventlog and takes a new id: the copy
 * this page kept in OPFS is then of an eventlog that no longer exists, and must be pulled again from the start.
 * LiveStore would find the mismatch on its first pull and stop the store; asking for the rebuild before it opens
 * (store-rebuild.ts) gets the page the new library on this load.
 *
 * The id each store directory last opened with is kept in local storage, shared by the page's tabs: the first tab
 * after the change rebuilds, and the ones after it find the id already recorded.
 */
const backendKey = (directory: string) => `chronicle:hub-backend:${directory}`

/** Each directory's answer, once per page life (a render that runs twice must get the same one). */
const answered = new Map<string, boolean>()

/** Whether the store in `directory` was opened with another hub eventlog than `backendId`; records this one. */
export function takeLibraryReplaced(directory: string, backendId: string | undefined): boolean {
  if (backendId === undefined) return false
  const earlier = answered.get(directory)
  if (earlier !== undefined) return earlier
  const known = localStorage.getItem(backendKey(directory))
  localStorage.setItem(backendKey(directory), backendId)
  const replaced = known !== null && known !== backendId
  answered.set(directory, replaced)
  return replaced
}
