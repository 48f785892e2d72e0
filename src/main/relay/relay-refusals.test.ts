/**
 * What a machine's relay refuses from the sync Worker, against the Worker in real workerd, and how it goes on: an
 * event it cannot open, and an event another machine of the library signed for this machine's device, are each
 * kept as v1.RemoteEventRefused in their place on every machine, and sync continues with one chain.
 */
import { describe, expect, it } from 'vitest'
import { loadOrCreateSigningKey } from '../audit/signing-key'
import { until } from '../hub/test-support/until'
import { useScratch } from '../repository/test-support/scratch'
import { deriveSyncKeys } from '../sync/library-key'
import { refusedEvents } from './refused-events'
import { sealEvent } from './relay-codec'
import { rename, sameChains, useRelayMachines } from './test-support/relay-machines'
import { openUpstream } from './upstream-connection'

const scratch = useScratch()
const relay = useRelayMachines(scratch, 'library-relay-refusals')
const { key, claim, machine } = relay
/** The signing key of a machine that is not one of the test's runtimes. */
const forgerKey = () => loadOrCreateSigningKey(scratch.dir())

describe('what the relay refuses from the Worker', () => {
  it('keeps an event the Worker serves that does not open as refused, and syncs on', async () => {
    const storeId = 'library-relay-forged'
    const token = await claim(storeId)
    const forger = await openUpstream({ url: relay.worker().url, storeId, token })
    if ('kind' in forger) throw new Error(forger.reason)
    const eventKey = deriveSyncKeys(key, storeId).eventArgs
    const args = {
      at: 1,
      deviceId: 'dev-x',
      actor: 'user',
      origin: 'ui',
      conversationId: 'c1',
      title: 'moved',
    }
    // Sealed by the key holder for sequence number 2, served at 1: a ciphertext moved to another place.
    const moved = { name: 'v1.ConversationRenamed', clientId: 'forger', sessionId: 's', parentSeqNum: 0 }
    const sealed = sealEvent(eventKey, forgerKey(), storeId, { ...moved, args, seqNum: 2, parentSeqNum: 1 })
    expect(await forger.push([{ ...sealed, seqNum: 1, parentSeqNum: 0 }], null)).toEqual({ kind: 'ok' })
    forger.close({ kind: 'unreachable', reason: 'done' })

    const d = await machine(key, storeId)
    const [first] = await until(
      () => d.runtime.hub.eventlog.read(0, 1),
      (read) => read.length === 1,
    )
    expect(first).toMatchObject({
      name: 'v1.RemoteEventRefused',
      args: {
        refusedName: 'v1.ConversationRenamed',
        reason: expect.stringMatching(/another event/) as unknown,
      },
    })
    expect(JSON.stringify(first)).not.toContain('moved')
    expect(await refusedEvents(d.repository.db)).toEqual({
      count: 1,
      last: {
        seqNum: 1,
        refusedName: 'v1.ConversationRenamed',
        reason: expect.stringMatching(/another event/) as unknown,
        at: expect.any(Number) as unknown,
      },
    })
    // Its own events follow: the relay is connected, and the Worker confirmed them.
    await until(
      async () => ({ head: await d.runtime.hub.eventlog.head(), status: d.runtime.relay!.status() }),
      ({ head, status }) => head > 1 && status.connection.state === 'connected' && status.waiting === 0,
    )
  })

  it("keeps an event another machine signed for this machine's device as refused (bad input: an impostor)", async () => {
    const storeId = 'library-relay-impostor'
    const token = await claim(storeId)
    const a = await machine(key, storeId)
    const head = await until(
      async () => ({ head: await a.runtime.hub.eventlog.head(), status: a.runtime.relay!.status() }),
      ({ head, status }) => head > 0 && status.waiting === 0 && status.remoteHead === head,
    ).then(({ head }) => head)
    // A holder of the library key (another machine of the library) renames as if it were A's device.
    const forger = await openUpstream({ url: relay.worker().url, storeId, token })
    if ('kind' in forger) throw new Error(forger.reason)
    const forged = {
      name: 'v1.ConversationRenamed',
      clientId: `${a.runtime.device.id}-page-forged`,
      sessionId: 's',
      seqNum: head + 1,
      parentSeqNum: head,
      args: {
        at: 1,
        deviceId: a.runtime.device.id,
        actor: 'user',
        origin: 'ui',
        conversationId: 'c1',
        title: 'Renamed by an impostor',
      },
    }
    const sealed = sealEvent(deriveSyncKeys(key, storeId).eventArgs, forgerKey(), storeId, forged)
    expect(await forger.push([sealed], null)).toEqual({ kind: 'ok' })
    forger.close({ kind: 'unreachable', reason: 'done' })

    const b = await machine(key, storeId)
    for (const m of [a, b]) {
      const [refused] = await until(
        () => m.runtime.hub.eventlog.read(head, 1),
        (read) => read.length === 1,
      )
      expect(refused).toMatchObject({
        name: 'v1.RemoteEventRefused',
        args: {
          reason: expect.stringMatching(
            new RegExp(`event ${head + 1} names device ${a.runtime.device.id}, .* impersonating another`),
          ) as unknown,
        },
      })
    }
    // Both say the same of it: the library's one refusal, at the forged event's place.
    for (const m of [a, b])
      expect(await refusedEvents(m.repository.db)).toMatchObject({
        count: 1,
        last: { seqNum: head + 1, refusedName: 'v1.ConversationRenamed' },
      })
    // The rename never reached A's library, and both machines sync on, with one chain.
    await rename(a, 'c1', 'After the impostor')
    await sameChains(a, b)
    for (const m of [a, b])
      expect(JSON.stringify(await m.runtime.hub.eventlog.read(0, 1_000))).not.toContain(
        'Renamed by an impostor',
      )
    expect(a.runtime.relay!.status().connection.state).toBe('connected')
  })
})
