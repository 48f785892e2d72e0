/**
 * This machine's SQL eventlog as a replica of the Worker's: pulled events are opened, validated and appended with
 * the Worker's sequence numbers; an event the replica already holds must be the same event (a crash between the
 * Worker's confirmation and the local append brings it back by pull). Every write to the eventlog goes through one
 * queue (`serialised`), so a confirmed push and its echo on the live pull never both append.
 *
 * The Worker's backend id is remembered in hub_meta once the replica and the Worker agree; until then (first
 * contact) the relay pulls from the start, checks what both hold, and sends up what only this machine holds. That
 * is how `chronicle sync setup` sends a library's history up before it prints the pairing code (send-history.ts):
 * sent later, another machine could push between two of its batches, and the eventlogs would differ for good.
 *
 * Every event this machine sends up carries its signature, and every event it takes in, pulled or confirmed, must
 * name a device its signer speaks for (device-owners.ts).
 */
import type { KeyObject } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { events } from '../../shared/livestore/schema'
import type { SigningKey } from '../audit/signing-key'
import type { Database } from '../repository/database-schema'
import { chainHash, GENESIS_HASH } from '../hub/event-hash'
import type { ClientIdentity } from '../hub/hub-credentials'
import type { AppendOutcome, GlobalEvent, HubEventlog } from '../hub/hub-eventlog'
import { MAX_PUSH_BATCH, READ_BYTES, wireEvent } from '../hub/hub-eventlog'
import { makeDeviceOwners, type DeviceClaim } from './device-owners'
import { makeSignatureCheck } from './event-signature'
import { openEvent, pulledIdentity, RelayRefusal, sealEvent, type OpenedEvent } from './relay-codec'
import type { PulledPage, PushAnswer } from './upstream-connection'

export interface Replica {
  load(): Promise<void>
  serialised<T>(work: () => Promise<T>): Promise<T>
  /** Where the live pull starts: after the local head, or from the start on first contact. */
  cursor(): Promise<{ backendId: string; seqNum: number } | null>
  /**
   * Stores a pulled page; 'ahead' when its first event does not follow the local head, and nothing is stored.
   * sync-cf sends every push to every live pull at once, also to a pull that has just begun and whose backlog (read
   * page by page until it reaches the end) has not come yet: such a page overtook the backlog that brings its
   * events in order.
   */
  apply(page: PulledPage): Promise<'stored' | 'ahead'>
  /**
   * First contact only: pushes what the Worker lacks, then remembers its backend id. Resolves with the last
   * sequence number it sent (null when it sent nothing), whose echo on the live pull brings the Worker's times.
   */
  seed(push: (batch: GlobalEvent[], backendId: string | null) => Promise<PushAnswer>): Promise<number | null>
  /** The highest sequence number a pulled page carried (0 before the first). */
  pulledThrough(): number
  seal(batch: readonly GlobalEvent[]): GlobalEvent[]
  /** Why this machine may not send the batch up (it names a device another machine speaks for), or null. */
  impostor(batch: readonly GlobalEvent[]): string | null
  /** Inside `serialised`: stores a batch the Worker confirmed. */
  appendConfirmed(batch: readonly GlobalEvent[], pushedBy: ClientIdentity): Promise<AppendOutcome>
  backendId(): string | null
  localHead(): number
  remoteHead(): number | null
  onAppended(listener: (head: number) => void): void
}

export function makeReplica(options: {
  readonly local: HubEventlog
  readonly db: Kysely<Database>
  readonly storeId: string
  readonly eventKey: KeyObject
  /** This machine's key, which signs what it sends up. */
  readonly signingKey: SigningKey
  /** Told of each pulled event stored as refused, with the reason and, for the schema, its own words. */
  readonly onRefused?: (reason: string) => void
}): Replica {
  const { local, db, storeId, eventKey, signingKey } = options
  const check = makeSignatureCheck()
  const owners = makeDeviceOwners(db, storeId)
  const claimOf = (event: GlobalEvent, signer: string): DeviceClaim => ({
    seqNum: event.seqNum,
    deviceId: pulledIdentity(event).deviceId,
    signer,
  })
  const ownClaims = (batch: readonly GlobalEvent[]) =>
    batch.map((event) => claimOf(event, signingKey.fingerprint))
  const seal = (event: GlobalEvent) => sealEvent(eventKey, signingKey, storeId, event)
  const openOrRefuse = (event: GlobalEvent): Pulled => {
    try {
      return { opened: openEvent(eventKey, storeId, event) }
    } catch (error) {
      if (error instanceof RelayRefusal)
        return { sealed: event, refusal: error.message, detail: error.detail }
      throw error
    }
  }
  const metaKey = `relay_backend_id:${storeId}`
  let backendId: string | null = null
  let seen: string | null = null
  let localHead = 0
  let remoteHead: number | null = null
  let pulledThrough = 0
  let appended: (head: number) => void = () => undefined
  let queue: Promise<unknown> = Promise.resolve()
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work)
    queue = result.catch(() => undefined)
    return result
  }
  const stored = (head: number) => {
    localHead = head
    appended(head)
  }

  /**
   * Same event, same place: compared by their hash on an empty chain (the chain's own canonical form). An event this
   * machine refused is held as the refusal, which whatever the remote serves in its place matches.
   */
  async function verifyKnown(known: readonly Pulled[]) {
    const first = known[0]
    if (!first) return
    const held = await local.read(eventOf(first).seqNum - 1, known.length)
    for (const [i, pulled] of known.entries()) {
      const mine = held[i]
      const same =
        mine?.name === REFUSED ||
        (mine !== undefined &&
          'opened' in pulled &&
          chainHash(GENESIS_HASH, wireEvent(mine)) === chainHash(GENESIS_HASH, pulled.opened.event))
      if (!same)
        throw new RelayRefusal(
          `event ${eventOf(pulled).seqNum} on the remote differs from this machine's: the libraries have diverged`,
        )
    }
  }

  /**
   * What goes into the eventlog for pulled events new to this machine: each as it is, or the refusal in its place
   * when it does not open, its signature fails, or it names a device another machine speaks for. The reasons
   * depend only on the event and the history before it, so every machine stores the same refusals.
   */
  async function decide(fresh: readonly Pulled[], acceptedAt: readonly (number | null)[]) {
    type Verdict = { claim: DeviceClaim } | { refusal: string; detail?: string | undefined }
    const verdicts = fresh.map((pulled): Verdict => {
      if ('refusal' in pulled) return pulled
      try {
        return { claim: claimOf(pulled.opened.event, pulled.opened.signer(check)) }
      } catch (error) {
        if (error instanceof RelayRefusal) return { refusal: error.message }
        throw error
      }
    })
    const impostors = await owners.sift(verdicts.flatMap((v) => ('claim' in v ? [v.claim] : [])))
    return fresh.map((pulled, i) => {
      const verdict = verdicts[i] as (typeof verdicts)[number]
      const event = eventOf(pulled)
      const reason = 'refusal' in verdict ? verdict.refusal : impostors.get(event.seqNum)
      if (reason === undefined) return event
      options.onRefused?.('detail' in verdict && verdict.detail ? verdict.detail : reason)
      return refusedInPlace(event, reason, acceptedAt[i] ?? null)
    })
  }

  /**
   * Every machine keeps the remote's acceptance time of an event, so their audit exports say the same: this
   * machine's own pushes are stored with its clock when the remote confirms them, and take the remote's time when
   * the live pull brings them back.
   */
  async function adoptAcceptedAt(known: readonly GlobalEvent[], acceptedAt: readonly (number | null)[]) {
    const times = known.flatMap((event, i) => {
      const at = acceptedAt[i]
      return at === null || at === undefined ? [] : [{ seq: event.seqNum, at }]
    })
    if (times.length === 0) return
    // One statement for the whole page of echoes (up to a hundred events), in one implicit transaction.
    await sql`
      UPDATE hub_events SET accepted_at = j.at
      FROM (
        SELECT json_extract(value, '$.seq') AS seq, json_extract(value, '$.at') AS at
        FROM json_each(${JSON.stringify(times)})
      ) AS j
      WHERE hub_events.seq = j.seq AND hub_events.accepted_at != j.at
    `.execute(db)
  }

  async function appendPulled(fresh: readonly GlobalEvent[], acceptedAt: readonly (number | null)[]) {
    let start = 0
    while (start < fresh.length) {
      const identity = pulledIdentity(fresh[start] as GlobalEvent)
      let end = start + 1
      while (
        end < fresh.length &&
        end - start < MAX_PUSH_BATCH &&
        pulledIdentity(fresh[end] as GlobalEvent).deviceId === identity.deviceId &&
        fresh[end]?.clientId === fresh[start]?.clientId
      )
        end += 1
      const outcome = await local.append(fresh.slice(start, end), identity, acceptedAt.slice(start, end))
      if (outcome.kind !== 'appended')
        throw new RelayRefusal(
          `event ${fresh[start]?.seqNum} from the remote cannot be stored: ${describe(outcome)}`,
        )
      stored(outcome.head)
      start = end
    }
  }

  return {
    serialised,
    async load() {
      await owners.load()
      localHead = await local.head()
      const row = await db
        .selectFrom('hub_meta')
        .select('value')
        .where('key', '=', metaKey)
        .executeTakeFirst()
      backendId = row?.value ?? null
    },
    async cursor() {
      if (backendId === null) return null
      const seqNum = await local.head()
      remoteHead = Math.max(remoteHead ?? 0, seqNum)
      return { backendId, seqNum }
    },
    async apply(page) {
      if (backendId !== null && page.backendId !== backendId)
        throw new RelayRefusal('the remote library was reset or replaced (it has another backend id)')
      seen = page.backendId
      const pulled = page.events.map(openOrRefuse)
      const outcome = await serialised(async () => {
        const head = await local.head()
        if ((page.events[0]?.seqNum ?? 0) > head + 1) return 'ahead' as const
        // Events arrive in order: those this machine holds come first.
        const knownCount = pulled.filter((one) => eventOf(one).seqNum <= head).length
        const known = pulled.slice(0, knownCount)
        await verifyKnown(known)
        await adoptAcceptedAt(
          known.flatMap((one) => ('opened' in one ? [one.opened.event] : [])),
          known.flatMap((one, i) => ('opened' in one ? [page.acceptedAt[i] ?? null] : [])),
        )
        // What this machine holds was decided when it came (pulled, confirmed or sent up at first contact).
        const fresh = pulled.slice(knownCount)
        const accepted = page.acceptedAt.slice(knownCount)
        if (fresh.length > 0) await appendPulled(await decide(fresh, accepted), accepted)
        return 'stored' as const
      })
      const last = page.events.at(-1)?.seqNum ?? 0
      remoteHead = Math.max(remoteHead ?? 0, last)
      if (outcome === 'stored') pulledThrough = Math.max(pulledThrough, last)
      return outcome
    },
    pulledThrough: () => pulledThrough,
    seed: (push) =>
      serialised(async () => {
        if (backendId !== null || seen === null) return null
        let sent: number | null = null
        let remote = remoteHead ?? 0
        const head = await local.head()
        while (remote < head) {
          const batch = await local.read(remote, MAX_PUSH_BATCH, READ_BYTES)
          await owners.admit(ownClaims(batch))
          const answer = await push(
            batch.map((event) => seal(wireEvent(event))),
            seen,
          )
          // Offline: the next connection starts the first contact again.
          if (answer.kind === 'failed' && answer.reason.startsWith('offline')) return null
          if (answer.kind !== 'ok')
            throw new RelayRefusal(`sending this library's history up failed: ${describe(answer)}`)
          remote = batch.at(-1)?.seqNum ?? head
          remoteHead = remote
          sent = remote
        }
        await db
          .insertInto('hub_meta')
          .values({ key: metaKey, value: seen })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: seen ?? '' }))
          .execute()
        backendId = seen
        return sent
      }),
    seal: (batch) => batch.map(seal),
    impostor: (batch) => owners.impostor(ownClaims(batch)),
    async appendConfirmed(batch, pushedBy) {
      await owners.admit(ownClaims(batch))
      const outcome = await local.append(batch, pushedBy)
      if (outcome.kind === 'appended') {
        remoteHead = Math.max(remoteHead ?? 0, outcome.head)
        stored(outcome.head)
      }
      return outcome
    },
    backendId: () => backendId ?? seen,
    localHead: () => localHead,
    remoteHead: () => remoteHead,
    onAppended: (listener) => void (appended = listener),
  }
}

/** A pulled event, opened, or refused before it could be. */
type Pulled =
  | { readonly opened: OpenedEvent }
  | { readonly sealed: GlobalEvent; readonly refusal: string; readonly detail?: string | undefined }
const eventOf = (pulled: Pulled): GlobalEvent => ('opened' in pulled ? pulled.opened.event : pulled.sealed)

const REFUSED = events.remoteEventRefused.name
/** The client and session every machine stores refusals under: no client pushes as it (push-policy.ts). */
export const REFUSED_CLIENT = 'chronicle-relay-refused'

/** The refusal stored in place of `event`, at its place in the eventlog, the same on every machine. */
function refusedInPlace(event: GlobalEvent, reason: string, acceptedAt: number | null): GlobalEvent {
  return {
    name: REFUSED,
    seqNum: event.seqNum,
    parentSeqNum: event.parentSeqNum,
    clientId: REFUSED_CLIENT,
    sessionId: REFUSED_CLIENT,
    args: {
      at: acceptedAt ?? 0,
      deviceId: '',
      actor: 'relay',
      origin: 'sync',
      refusedName: event.name.slice(0, 120),
      reason: reason.slice(0, 1_000),
    },
  }
}

function describe(outcome: AppendOutcome | PushAnswer): string {
  if (outcome.kind === 'server-ahead') return 'the remote has newer events'
  return 'reason' in outcome ? outcome.reason : outcome.kind
}
