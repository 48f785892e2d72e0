/**
 * Message bodies on their way between this machine and the sync worker, in words for the Devices view: the
 * bodies still to fetch (their messages read as previews until then) and those still to store for the others.
 */
import type { BodiesStatus } from '../../../shared/api/contract'

const bodies = (n: number, format: (n: number) => string) =>
  `${format(n)} message ${n === 1 ? 'body' : 'bodies'}`

/** What is still to move, or null when nothing is. */
export function bodiesToMove(
  { toFetch, toStore }: Pick<BodiesStatus, 'toFetch' | 'toStore'>,
  format: (n: number) => string,
): string | null {
  const fetch = toFetch > 0 ? `${bodies(toFetch, format)} to fetch from your other machines` : null
  // After the first part, "message bodies" is understood: "· 56 to store on the worker".
  const store =
    toStore > 0 ? `${fetch ? format(toStore) : bodies(toStore, format)} to store on the worker` : null
  return [fetch, store].filter((part) => part !== null).join(' · ') || null
}
