/**
 * The hub as a trust boundary, tried the way a program on this machine that holds a credential (or only thinks
 * it does) would try it, against the real hub on a real repository: each attack below was accepted before, and
 * each test says which bad input it sends.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { newChronicleConversation } from '../../shared/livestore/events'
import { events } from '../../shared/livestore/schema'
import { useScratch } from '../repository/test-support/scratch'
import { connectRaw, outcomeOf, type PushedEvent } from './test-support/raw-sync-client'
import { HOST_DEVICE, startHubFixture, type HubFixture } from './test-support/hub-fixture'
import { until } from './test-support/until'

const scratch = useScratch()
let fixture: HubFixture | undefined
afterEach(async () => {
  await fixture?.close()
  fixture = undefined
})

const hub = async () => (fixture = await startHubFixture(scratch.open({ dataDir: scratch.dir() })))

/** An event as LiveStore encodes it: the definition's name and its args as given. */
const encoded = (definition: { name: string }, args: unknown, clientId: string): PushedEvent => ({
  name: definition.name,
  args,
  clientId,
})
const meta = (deviceId: string, origin = 'ui') => ({ at: 1_000, deviceId, actor: 'user', origin })

const deviceClient = (f: HubFixture, deviceId: string) =>
  connectRaw(f.url, { authToken: f.credentials.deviceCredential, deviceId, deviceName: deviceId })
const pageClient = (f: HubFixture) =>
  connectRaw(f.url, { authToken: f.credentials.pageCredential, deviceId: HOST_DEVICE, clientKind: 'ui' })

describe('what a connection may say', () => {
  it('speaks only for the device its credential names (bad input: a rename of the hub’s own device)', async () => {
    const f = await hub()
    const laptop = await deviceClient(f, 'laptop')
    const forged = encoded(events.deviceRenamed, { ...meta(HOST_DEVICE), name: 'Hijacked' }, 'laptop')
    expect(outcomeOf(await laptop.push('1', [forged], 0))).toMatch(/speaks for device laptop, not main/)
    expect(await f.hub.eventlog.head()).toBe(0)

    const own = encoded(events.deviceRenamed, { ...meta('laptop'), name: 'My laptop' }, 'laptop')
    expect(outcomeOf(await laptop.push('2', [own], 0))).toBe('success')
    const [stored] = await f.hub.eventlog.read(0, 10)
    expect(stored?.pushedBy).toEqual({ kind: 'device', deviceId: 'laptop' })
    // The refusal is not silent: the devices view lists it on the connection.
    const [connection] = f.clients.list()
    expect(connection).toMatchObject({ refusedPushes: 1, identity: 'device' })
    expect(connection?.lastRefusal).toMatch(/not main/)
  })

  it('refuses origin sql, origin import and a bridge cursor from any client (bad input: sqlSeq 1e9)', async () => {
    const f = await hub()
    const page = await pageClient(f)
    const starred = (origin: string, extra = {}) =>
      encoded(
        events.conversationStarred,
        { ...meta(HOST_DEVICE, origin), conversationId: 'c1', ...extra },
        'page-1',
      )
    expect(outcomeOf(await page.push('1', [starred('sql', { sqlSeq: 1e9 })], 0))).toMatch(
      /origin sql is the main store/,
    )
    expect(outcomeOf(await page.push('2', [starred('import')], 0))).toMatch(/origin import/)
    expect(outcomeOf(await page.push('3', [starred('ui', { sqlSeq: 1e9 })], 0))).toMatch(/bridge cursor/)
    const imported = encoded(
      events.conversationImported,
      { ...meta(HOST_DEVICE), conversation: newChronicleConversation('c1', 'Fake import', 1) },
      'page-1',
    )
    expect(outcomeOf(await page.push('4', [imported], 0))).toMatch(/only a main store makes this event/)
    // Bad input: a page that registers a signing key of its own choosing for this machine's device.
    const keyed = encoded(
      events.deviceRegistered,
      {
        ...meta(HOST_DEVICE),
        name: 'Desk',
        kind: 'web',
        platform: 'linux',
        appVersion: '1',
        signingKey: { publicKey: 'forged', fingerprint: 'SHA256:forged' },
      },
      'page-1',
    )
    expect(outcomeOf(await page.push('6', [keyed], 0))).toMatch(
      /signing key is registered by a device’s main/,
    )
    expect(await f.hub.eventlog.head()).toBe(0)
    expect(outcomeOf(await page.push('5', [starred('ui')], 0))).toBe('success')
  })

  it('refuses an edit whose author claims to have seen it or later events (bad input: seen 1e6, its own number, -1, 0.5)', async () => {
    const f = await hub()
    const page = await pageClient(f)
    const starred = (seen: number) =>
      encoded(events.conversationStarred, { ...meta(HOST_DEVICE), conversationId: 'c1', seen }, 'page-1')
    // The audit view trusts `seen` to tell a concurrent edit from a later one: a false one would hide a conflict.
    expect(outcomeOf(await page.push('1', [starred(1e6)], 0))).toMatch(
      /had seen event 1000000, which is not before it/,
    )
    expect(outcomeOf(await page.push('2', [starred(1)], 0))).toMatch(/had seen event 1,/)
    expect(outcomeOf(await page.push('3', [starred(-1)], 0))).toMatch(/does not match the schema/)
    expect(outcomeOf(await page.push('4', [starred(0.5)], 0))).toMatch(/does not match the schema/)
    expect(await f.hub.eventlog.head()).toBe(0)
    expect(outcomeOf(await page.push('5', [starred(0)], 0))).toBe('success')
    expect(outcomeOf(await page.push('6', [starred(1)], 1))).toBe('success')
    expect((await f.hub.eventlog.read(0, 10)).map((event) => (event.args as { seen: number }).seen)).toEqual([
      0, 1,
    ])
  })

  it("takes a response's logged cost as a fraction, and refuses a token count that is one (bad input from a device)", async () => {
    const f = await hub()
    const laptop = await deviceClient(f, 'laptop')
    const usage = {
      responseKey: 'r1',
      model: 'claude-opus-4-6',
      tokensIn: 12,
      tokensOut: 340,
      cacheWrites: 0,
      cacheWrites1h: 0,
      cacheReads: 0,
      loggedCost: 0.0125,
    }
    const appended = (carried: typeof usage) =>
      encoded(
        events.messagesAppended,
        {
          ...meta('laptop', 'sync'),
          conversationId: 'c1',
          messages: [
            {
              id: 'c1#0',
              ordinal: 0,
              role: 'assistant',
              kind: 'text',
              createdAt: 1,
              preview: 'hi',
              usage: carried,
            },
          ],
        },
        'laptop',
      )
    expect(outcomeOf(await laptop.push('1', [appended({ ...usage, tokensIn: 12.5 })], 0))).toMatch(
      /args.messages.0.usage.tokensIn is not a whole number/,
    )
    expect(outcomeOf(await laptop.push('2', [appended(usage)], 0))).toBe('success')
    expect(await f.hub.eventlog.head()).toBe(1)
  })

  it('decodes every event against the schema (bad input: a name that is a number, an unknown event, extra keys, a relay-only event)', async () => {
    const f = await hub()
    const laptop = await deviceClient(f, 'laptop')
    const cases: [PushedEvent, RegExp][] = [
      [encoded(events.deviceRenamed, { ...meta('laptop'), name: 42 }, 'laptop'), /does not match the schema/],
      [
        { name: 'v1.DeviceExploded', args: meta('laptop'), clientId: 'laptop' },
        /not an event Chronicle knows/,
      ],
      [
        encoded(events.deviceRenamed, JSON.parse('{"__proto__":{"x":1},"name":"n"}') as unknown, 'laptop'),
        /does not match the schema/,
      ],
      [
        encoded(events.deviceRenamed, { ...meta('laptop'), name: 'n', smuggled: 'x'.repeat(100) }, 'laptop'),
        /does not match the schema/,
      ],
      [encoded(events.deviceRenamed, null, 'laptop'), /does not match the schema/],
      // Numbers the schema takes but LiveStore's STRICT INTEGER columns refuse: they would stop every client.
      [
        encoded(
          events.conversationCreated,
          { ...meta('laptop'), conversation: { ...newChronicleConversation('c', 't', 1), createdAt: 0.5 } },
          'laptop',
        ),
        /args.conversation.createdAt is not a whole number/,
      ],
      [
        encoded(events.deviceRenamed, { ...meta('laptop'), at: 1e308, name: 'n' }, 'laptop'),
        /args.at is not/,
      ],
      // What only a relay writes, in place of an event it refused: a client would hide its own events behind it.
      [
        encoded(
          events.remoteEventRefused,
          { ...meta('laptop', 'sync'), refusedName: 'v1.ConversationRenamed', reason: 'looks official' },
          'laptop',
        ),
        /made only by a relay/,
      ],
    ]
    for (const [i, [event, reason]] of cases.entries())
      expect(outcomeOf(await laptop.push(String(i), [event], 0))).toMatch(reason)
    expect(await f.hub.eventlog.head()).toBe(0)
    expect(f.hub.stats.refused).toBe(cases.length)

    // The host's own events still go through after all of that.
    const main = await f.inProcessStore(scratch.dir(), `${HOST_DEVICE}-main`)
    await main.commit([events.deviceRenamed({ ...meta(HOST_DEVICE, 'ui'), origin: 'ui', name: 'Desk' })])
    await main.waitForBackend()
    expect(await f.hub.eventlog.head()).toBe(1)
  })

  it('pins a client id to one device, and keeps the main store’s for the main store (bad input: borrowed ids)', async () => {
    const f = await hub()
    const laptop = await deviceClient(f, 'laptop')
    const renamed = (deviceId: string, clientId: string) =>
      encoded(events.deviceRenamed, { ...meta(deviceId), name: deviceId }, clientId)
    expect(outcomeOf(await laptop.push('1', [renamed('laptop', 'shared-client')], 0))).toBe('success')
    // Another connection, another device, the same client id: the eventlog says whose it is.
    const phone = await deviceClient(f, 'phone')
    expect(outcomeOf(await phone.push('1', [renamed('phone', 'shared-client')], 1))).toMatch(
      /client shared-client pushes for device laptop/,
    )
    // One connection, one client: a second client id on the same socket is refused.
    expect(outcomeOf(await laptop.push('2', [renamed('laptop', 'other-client')], 1))).toMatch(
      /pushes as client shared-client/,
    )
    const page = await pageClient(f)
    expect(outcomeOf(await page.push('1', [renamed(HOST_DEVICE, `${HOST_DEVICE}-main`)], 1))).toMatch(
      /main store/,
    )
    expect(await f.hub.eventlog.head()).toBe(1)
  })
})

describe('who may connect', () => {
  it('refuses credentials that do not hold, and remembers who tried (bad input: forged and stretched tokens)', async () => {
    const f = await hub()
    const attempts: [unknown, string][] = [
      [{ authToken: 'é'.repeat(f.credentials.deviceCredential.length), deviceId: 'x' }, 'x'],
      [{ authToken: f.credentials.pageCredential, deviceId: 'laptop' }, 'laptop'],
      [{ authToken: f.credentials.deviceCredential, deviceId: HOST_DEVICE }, HOST_DEVICE],
      [{ authToken: f.credentials.deviceCredential, deviceId: '../../etc' }, '../../etc'],
      [{ authToken: { toString: 'x' }, deviceId: 'y' }, 'y'],
      ['not an object', 'unnamed'],
    ]
    for (const [payload] of attempts)
      await expect(connectRaw(f.url, payload)).rejects.toThrow('upgrade refused: 401')
    expect(f.clients.list()).toEqual([])
    expect(f.clients.refusedHandshakes().map((r) => r.claimedDeviceId)).toEqual(
      attempts.map(([, claimed]) => claimed).reverse(),
    )
    // Still serving.
    const laptop = await deviceClient(f, 'laptop')
    laptop.send({ _tag: 'Ping' })
    laptop.close()
  })
})

describe('frames that would have crashed or stalled the hub', () => {
  it('survives request ids of every type and garbage frames (bad input: an Ack whose requestId is an object)', async () => {
    const f = await hub()
    const laptop = await deviceClient(f, 'laptop')
    for (const id of [{}, [], 1, null, true, 'x'.repeat(1_000)]) {
      laptop.send({ _tag: 'Ack', requestId: id })
      laptop.send({ _tag: 'Interrupt', requestId: id })
      laptop.send({ _tag: 'Request', id, tag: 'SyncWsRpc.Pull', payload: { storeId: 'chronicle' } })
    }
    laptop.send('not json')
    laptop.send('[1, 2, "three"]')
    laptop.send({ _tag: 'Request', id: 'p', tag: 'SyncWsRpc.Pull', payload: { cursor: { _tag: 'Some' } } })
    laptop.send({
      _tag: 'Request',
      id: 'q',
      tag: 'SyncWsRpc.Push',
      payload: { storeId: 'chronicle', batch: [{ name: {}, seqNum: '1' }] },
    })
    expect(outcomeOf(await laptop.answer('q'))).toMatch(/not a list of LiveStore events/)
    const renamed = encoded(events.deviceRenamed, { ...meta('laptop'), name: 'ok' }, 'laptop')
    expect(outcomeOf(await laptop.push('r', [renamed], 0))).toBe('success')
    // A request that makes the hub throw still gets an answer (bad input: a backend id with a broken toString).
    laptop.send(
      '{"_tag":"Request","id":"s","tag":"SyncWsRpc.Pull","payload":{"storeId":"chronicle","cursor":' +
        '{"_tag":"Some","value":{"eventSequenceNumber":0,"backendId":{"toString":1}}}}}',
    )
    expect(outcomeOf(await laptop.answer('s'))).toMatch(/names no backend/)
  })

  it('ends every pull with its socket and refuses a reused id (bad input: 20,000 pulls with one id)', async () => {
    const f = await hub()
    const laptop = await deviceClient(f, 'laptop')
    const pull = (id: string) => ({
      _tag: 'Request',
      id,
      tag: 'SyncWsRpc.Pull',
      payload: { storeId: 'chronicle', cursor: { _tag: 'None' }, live: true },
    })
    laptop.send(pull('same'))
    await laptop.answer('same') // the first page: the pull is live
    for (let i = 0; i < 20_000; i += 1) laptop.send(pull('same'))
    expect(outcomeOf(await laptop.answer('same'))).toMatch(/already in use/)
    for (let i = 0; i < 20; i += 1) laptop.send(pull(`p${i}`))
    const refused = await laptop.answer('p19')
    expect(outcomeOf(refused)).toMatch(/at most 8 pulls at once/)
    await until(
      () => f.hub.stats.pullsRunning,
      (n) => n === 8,
    )
    laptop.close()
    await laptop.closed
    await until(
      () => f.hub.stats.pullsRunning,
      (n) => n === 0,
    )
  })
})
