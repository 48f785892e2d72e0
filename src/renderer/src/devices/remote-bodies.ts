/**
 * Message bodies on their way between this machine and the sync worker, in words for the Devices view: the
 * bodies still to fetch (their messages read as previews until then), those still to store for the others, and the
 * images still to fetch.
 */
import type { BodiesStatus } from '../../../shared/api/contract'

const bodies = (n: number, format: (n: number) => string) =>
  `${format(n)} message ${n === 1 ? 'body' : 'bodies'}`

/** What is still to move, or null when nothing is. */
export function bodiesToMove(
  { toFetch, toStore, imagesToFetch }: Pick<BodiesStatus, 'toFetch' | 'toStore' | 'imagesToFetch'>,
  format: (n: number) => string,
): string | null {
  const fetch = toFetch > 0 ? `${bodies(toFetch, format)} to fetch from your other machines` : null
  // After the first part, "message bodies" is understood: "· 56 to store on the worker".
  const store =
    toStore > 0 ? `${fetch ? format(toStore) : bodies(toStore, format)} to store on the worker` : null
  // Images come after the bodies that refer to them, so they are named last.
  const images =
    imagesToFetch > 0
      ? `${format(imagesToFetch)} ${imagesToFetch === 1 ? 'image' : 'images'} to fetch${fetch ? '' : ' from your other machines'}`
      : null
  return [fetch, store, images].filter((part) => part !== null).join(' · ') || null
}
