/**
 * What the hub accepts from whom. Every event a client pushes is decoded against Chronicle's LiveStore schema (an
 * unknown name, an ill-typed or extra argument is refused, never stored: one such event would stop every client
 * that replays the eventlog); the host's must at least be events Chronicle knows. Beyond that, a connection that is not the host:
 * - speaks only for the device its credential names (`deviceId` in the args) and through its own LiveStore client
 *   (the connection's client id is pinned by its first push; the main store's client id is never another's);
 * - says `ui` or `sync`, never `sql` or `import`, and carries no bridge cursor (`sqlSeq`): those move what the
 *   bridge believes it has mirrored, so a forged one would silently drop repository changes from the trail;
 * - registers no signing key (the keys audit exports are verified against);
 * - claims to have seen only events before its own (an edit's `seen`, which the audit view trusts);
 * - makes only the events a person or a device makes: what the bridge, the importers and the hub's presence
 *   record write comes from the host alone.
 * A relay (another machine's main store) is the host of its own device: it may write everything a host writes,
 * for that device only.
 */
import { Schema } from '@livestore/livestore'
import { Either, TreeFormatter } from '@livestore/utils/effect'
import { events } from '../../shared/livestore/schema'
import type { ClientIdentity } from './hub-credentials'
import type { GlobalEvent } from './hub-eventlog'

/** Events a page or a device may push; the rest are the host's own. */
const CLIENT_EVENTS: ReadonlySet<string> = new Set(
  [
    events.conversationCreated,
    events.conversationRenamed,
    events.conversationStarred,
    events.conversationUnstarred,
    events.conversationTagged,
    events.conversationArchived,
    events.conversationUnarchived,
    events.conversationDeleted,
    events.conversationRestored,
    events.messagesAppended,
    events.deviceRegistered,
    events.deviceRenamed,
  ].map((definition) => definition.name),
)

const CLIENT_ORIGINS: ReadonlySet<unknown> = new Set(['ui', 'sync'])

type Decode = (args: unknown) => Either.Either<unknown, unknown>

const decoders: ReadonlyMap<string, Decode> = new Map(
  Object.values(events).map((definition) => [
    definition.name,
    Schema.decodeUnknownEither(definition.schema as Schema.Schema<unknown, unknown>, {
      onExcessProperty: 'error',
    }) as Decode,
  ]),
)

export interface PushContext {
  readonly identity: ClientIdentity
  /** The client id this connection pushed with before (null before its first push). */
  readonly pinnedClientId: string | null
  /** Client ids no connection may take: the main store's. */
  readonly reservedClientIds: ReadonlySet<string>
}

/** How a refusal for the schema begins; the schema's own words follow it. */
export const SCHEMA_MISMATCH = 'its data does not match the schema'

/** Why the batch is refused, naming the first offending event, or null when every event may be stored. */
export function pushRefusal(batch: readonly GlobalEvent[], context: PushContext): string | null {
  for (const event of batch) {
    const problem = eventProblem(event, context)
    if (problem) return `event ${event.seqNum} (${String(event.name)}): ${problem}`
  }
  return null
}

function eventProblem(event: GlobalEvent, context: PushContext): string | null {
  const decode = decoders.get(event.name)
  if (!decode) return 'not an event Chronicle knows'
  // Made by a relay in place of a refused event, never pushed (relay-replica.ts refusedInPlace).
  if (event.name === events.remoteEventRefused.name) return 'it is made only by a relay, in its own eventlog'
  const { identity } = context
  // The host's events were encoded from this same schema by LiveStore in this process, a moment ago; decoding
  // them again would cost the bridge about 13 µs per message for nothing.
  if (identity.kind === 'host') return null
  const decoded = decode(event.args)
  if (Either.isLeft(decoded)) return `${SCHEMA_MISMATCH}: ${describe(decoded.left)}`
  const number = unstorableNumber(decoded.right)
  if (number !== null) return `${number} is not a whole number that every client can store`

  const args = decoded.right as { deviceId: string; origin: string; sqlSeq?: number; seen?: number }
  // What an edit's author had seen comes before it: a claim to have seen it or later events is refused.
  if (args.seen !== undefined && args.seen >= event.seqNum)
    return `it claims its author had seen event ${args.seen}, which is not before it`
  const expectedClient = context.pinnedClientId ?? event.clientId
  if (event.clientId !== expectedClient) return `this connection pushes as client ${expectedClient}`
  if (context.reservedClientIds.has(event.clientId)) return `client ${event.clientId} is the main store’s`
  if (args.deviceId !== identity.deviceId)
    return `this connection speaks for device ${identity.deviceId}, not ${args.deviceId}`
  const mainStoresOnly = mainStoreProblem(event.name, decoded.right as MainStoreFields)
  // Another machine's events: what only a main store says must come from that device's main store's client.
  if (identity.kind === 'relay')
    return mainStoresOnly !== null && event.clientId !== mainClientIdOf(args.deviceId)
      ? `${mainStoresOnly}, and client ${event.clientId} is not device ${args.deviceId}’s main store`
      : null
  return mainStoresOnly
}

type MainStoreFields = { readonly origin: unknown; readonly signingKey?: unknown; readonly sqlSeq?: unknown }

/** The main store's client id on every machine (sync/sync-runtime.ts). */
export const mainClientIdOf = (deviceId: string): string => `${deviceId}-main`

/** What makes an event one only a device's main store may make, or null. */
function mainStoreProblem(name: string, args: MainStoreFields): string | null {
  if (!CLIENT_EVENTS.has(name)) return 'only a main store makes this event'
  if (!CLIENT_ORIGINS.has(args.origin)) return `origin ${String(args.origin)} is the main store’s`
  // Audit exports are trusted by the keys main stores registered (audit/trusted-keys.ts): no one else names one.
  if (args.signingKey !== undefined) return 'a signing key is registered by a device’s main store only'
  if (args.sqlSeq !== undefined) return 'a bridge cursor (sqlSeq) comes from the main store only'
  return null
}

/**
 * Numbers that may hold a fraction: a conversation's cost, and the cost a source logged for a response (message
 * events carry it; no client's state stores it). Every other number lands in an INTEGER column of some client.
 */
const FRACTIONAL_KEYS: ReadonlySet<string> = new Set(['cost', 'loggedCost'])

/**
 * The path of the first number that LiveStore's STRICT state tables would refuse (a fraction, or beyond 2^53 in an
 * INTEGER column), or null. The schema says only "number"; one such event stops every client that applies it.
 */
function unstorableNumber(value: unknown, path = 'args'): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? null : path
  if (value === null || typeof value !== 'object') return null
  for (const [key, inner] of Object.entries(value)) {
    if (FRACTIONAL_KEYS.has(key) && typeof inner === 'number') continue
    const found = unstorableNumber(inner, `${path}.${key}`)
    if (found !== null) return found
  }
  return null
}

/** The schema's complaint in one line (the tree formatter's first lines name the field). */
function describe(error: unknown): string {
  try {
    const text = TreeFormatter.formatErrorSync(error as Parameters<typeof TreeFormatter.formatErrorSync>[0])
    return text.replace(/\s+/g, ' ').slice(0, 300)
  } catch {
    return 'malformed'
  }
}
