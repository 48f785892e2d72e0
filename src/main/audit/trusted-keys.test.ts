/**
 * Whom `audit verify` trusts, on a real repository with a real hub eventlog: the keys the devices registered
 * (fingerprints computed from the key, never taken from the event), keys the user names, and nothing else. Bad
 * input: an export re-chained and re-signed by a forger's key, a device's key passed off as another device's,
 * a registration that lies about its fingerprint, registrations from before devices recorded keys, and `--key`
 * and `--fingerprint` values that are not keys.
 */
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { events } from '../../shared/livestore/events'
import { openHubEventlog } from '../hub/hub-eventlog'
import { useScratch } from '../repository/test-support/scratch'
import { digestPathFor, parseDigest } from './audit-digest'
import { loadOrCreateSigningKey } from './signing-key'
import { exportTrail } from './test-support/export-trail'
import { forgeExport, freshSigningKey } from './test-support/forge-export'
import { LAPTOP, SERVER, seedEventlog, START } from './test-support/seed-eventlog'
import { judgeSigner, namedFingerprint, namedKey, registeredKeys } from './trusted-keys'
import { verifyExport } from './verify-export'

const scratch = useScratch()

/** A library whose laptop registered `key` (the data directory's own unless given), and an export by the laptop. */
async function library(key?: { publicKey: string; fingerprint: string } | null) {
  const dataDir = scratch.dir()
  const repo = scratch.open({ dataDir })
  const own = loadOrCreateSigningKey(dataDir)
  await seedEventlog(repo, 1, key === null ? undefined : (key ?? own))
  const file = await exportTrail(repo, dataDir, { id: LAPTOP, name: "Dain's laptop" })
  return { repo, file, own }
}

const digestOf = (file: string) => parseDigest(readFileSync(digestPathFor(file), 'utf8'), file)

describe('trusted signing keys', () => {
  it('trusts the key the laptop registered, names the laptop, and refuses a re-signed forgery', async () => {
    const { repo, file, own } = await library()
    const trust = { registered: await registeredKeys(repo.db), named: [] }
    expect(trust.registered).toEqual([
      { fingerprint: own.fingerprint, deviceId: LAPTOP, deviceName: "Dain's laptop" },
    ])
    expect((await verifyExport(file, trust)).signer).toEqual({
      trusted: true,
      fingerprint: own.fingerprint,
      trustedBy: 'library',
      device: { id: LAPTOP, name: "Dain's laptop" },
    })
    const forger = forgeExport(file, 8, (data) => (data.title = 'Nothing to see here'))
    const report = await verifyExport(file, trust)
    expect(report).toMatchObject({ ok: false, problem: null, fileHashMatches: true, signatureHolds: true })
    expect(report.signer).toMatchObject({ trusted: false, fingerprint: forger.fingerprint })
    expect(report.signer.trusted || report.signer.reason).toContain('no device of this library registered')
  })

  it("refuses a device's key on an export that claims another device", () => {
    const serverKey = freshSigningKey()
    const digest = {
      device: { id: LAPTOP, name: "Dain's laptop" },
      signature: { algorithm: 'Ed25519', publicKey: serverKey.publicKey, value: '' },
    } as unknown as ReturnType<typeof parseDigest>
    const signer = judgeSigner(digest, {
      registered: [{ fingerprint: serverKey.fingerprint, deviceId: SERVER, deviceName: 'build-box' }],
      named: [],
    })
    expect(signer.trusted).toBe(false)
    expect(signer.trusted || signer.reason).toContain(`belongs to device "build-box" (${SERVER})`)
  })

  it("trusts a key only from the device's own main store, not from a page or a device program speaking for it", async () => {
    const { repo, file } = await library()
    const forger = freshSigningKey()
    const log = await openHubEventlog(repo.db)
    for (const pushedBy of [
      { kind: 'ui', deviceId: LAPTOP },
      { kind: 'device', deviceId: LAPTOP },
      { kind: 'relay', deviceId: SERVER },
    ] as const) {
      const head = await log.head()
      const registered = events.deviceRegistered({
        at: START,
        deviceId: LAPTOP,
        actor: 'user',
        origin: 'ui',
        name: "Dain's laptop",
        kind: 'web',
        platform: 'linux',
        appVersion: '0.1.0',
        signingKey: { publicKey: forger.publicKey, fingerprint: forger.fingerprint },
      })
      const batch = [
        {
          ...registered,
          seqNum: head + 1,
          parentSeqNum: head,
          clientId: `${pushedBy.kind}-1`,
          sessionId: 's',
        },
      ]
      expect(await log.append(batch, pushedBy)).toMatchObject({ kind: 'appended' })
    }
    const registered = await registeredKeys(repo.db)
    expect(registered.map((k) => k.fingerprint)).not.toContain(forger.fingerprint)
    forgeExport(file, 8, (data) => (data.title = 'Nothing to see here'), forger)
    expect(await verifyExport(file, { registered, named: [] })).toMatchObject({
      ok: false,
      signer: { trusted: false, fingerprint: forger.fingerprint },
    })
  })

  it('computes fingerprints from the registered key, not from what the event says', async () => {
    const real = freshSigningKey()
    const { repo } = await library({ publicKey: real.publicKey, fingerprint: 'SHA256:claimed-to-be-another' })
    expect((await registeredKeys(repo.db)).map((k) => k.fingerprint)).toEqual([real.fingerprint])
  })

  it('trusts nothing from registrations without keys, and nothing at all without a library or a named key', async () => {
    const { repo, file, own } = await library(null)
    expect(await registeredKeys(repo.db)).toEqual([])
    const unknown = await verifyExport(file, { registered: [], named: [] })
    expect(unknown.ok).toBe(false)
    const elsewhere = judgeSigner(digestOf(file), { registered: null, named: [] })
    expect(elsewhere.trusted || elsewhere.reason).toContain(
      `there is no Chronicle library in the data directory (--data-dir) to say whose key ${own.fingerprint} is`,
    )
    const named = await verifyExport(file, {
      registered: null,
      named: [{ fingerprint: own.fingerprint, by: '--key' }],
    })
    expect(named).toMatchObject({
      ok: true,
      signer: { trusted: true, trustedBy: '--key', device: { id: LAPTOP } },
    })
  })

  it('reads --key as audit key prints it (plain or --json), as PEM or base64, and --fingerprint with or without its prefix', () => {
    const key = freshSigningKey()
    const dir = scratch.dir()
    const printed = join(dir, 'printed.key')
    writeFileSync(printed, `${key.fingerprint}\n${key.publicKey}\n`)
    const json = join(dir, 'key.json')
    writeFileSync(json, JSON.stringify({ publicKey: key.publicKey, fingerprint: key.fingerprint }))
    const pem = join(dir, 'key.pem')
    writeFileSync(pem, key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())
    for (const value of [printed, json, pem, key.publicKey])
      expect(namedKey(value), value).toBe(key.fingerprint)
    expect(namedFingerprint(key.fingerprint)).toBe(key.fingerprint)
    expect(namedFingerprint(key.fingerprint.slice('SHA256:'.length))).toBe(key.fingerprint)
    // Bad input: junk, a file that holds no key, a key of another kind, a truncated fingerprint.
    expect(() => namedKey('not-a-key')).toThrow(/--key not-a-key is neither/)
    expect(() => namedKey(join(dir, 'key.json.missing'))).toThrow(/--key/)
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey
    expect(() => namedKey(rsa.export({ type: 'spki', format: 'der' }).toString('base64'))).toThrow(/--key/)
    expect(() => namedFingerprint('SHA256:abc')).toThrow(/--fingerprint must be/)
  })
})
