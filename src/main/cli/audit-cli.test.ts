/**
 * `chronicle audit` as a user runs it (the real binary in a child process): export in each format with its
 * digest, verify that passes and then fails after an edit (exit 1, the record named), verify --db, and bad
 * arguments refused with exit 2 and a hint (a malformed --since, an unknown --action, a missing file).
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadOrCreateSigningKey } from '../audit/signing-key'
import { forgeExport } from '../audit/test-support/forge-export'
import { LAPTOP, seedEventlog } from '../audit/test-support/seed-eventlog'
import { useScratch } from '../repository/test-support/scratch'
import { DEVICE_FILE } from '../sync/device-identity'

const scratch = useScratch()

function chronicle(dataDir: string, args: string[]) {
  const result = spawnSync(process.execPath, ['bin/chronicle.js', ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** A library whose laptop registered the data directory's signing key, and which is that laptop. */
async function seeded() {
  const dataDir = scratch.dir()
  writeFileSync(join(dataDir, DEVICE_FILE), JSON.stringify({ id: LAPTOP, name: "Dain's laptop" }))
  const repo = scratch.open({ dataDir })
  const head = await seedEventlog(repo, 1, loadOrCreateSigningKey(dataDir))
  await repo.close()
  return { dataDir, head }
}

describe('chronicle audit', () => {
  it('exports with a signed digest and verifies; an edit makes verify fail and name the record', async () => {
    const { dataDir, head } = await seeded()
    const out = join(dataDir, 'trail.csv')
    const exported = chronicle(dataDir, ['audit', 'export', '--format', 'csv', '--out', out, '--redact'])
    expect(exported.stderr).toBe('')
    expect(exported.code).toBe(0)
    expect(exported.stdout).toContain(`Exported ${head} events (seq 1 to ${head}) to ${out}`)
    expect(exported.stdout).toMatch(/Digest: .*trail\.csv\.digest\.json, signed by this device's key SHA256:/)
    const key = chronicle(dataDir, ['audit', 'key'])
    expect(exported.stdout).toContain(key.stdout.split('\n')[0])

    const ok = chronicle(dataDir, ['audit', 'verify', out])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain(`OK: ${head} records (seq 1 to ${head})`)
    expect(ok.stdout).toContain('Signature: holds')

    writeFileSync(out, readFileSync(out, 'utf8').replace('Tagged conversation', 'Tagged a conversation'))
    const failed = chronicle(dataDir, ['audit', 'verify', out])
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain(
      'FAILED: record 10 (seq 10) was edited: its summary does not match its data',
    )
    expect(failed.stdout).toContain('File SHA-256: DIFFERS from the digest')
  })

  it('refuses an edited export re-chained and re-signed with a fresh key, naming the unknown key (bad input: a forgery)', async () => {
    const { dataDir } = await seeded()
    const out = join(dataDir, 'trail.ndjson')
    expect(chronicle(dataDir, ['audit', 'export', '--out', out]).code).toBe(0)
    const forger = forgeExport(out, 8, (data) => (data.title = 'Nothing to see here'))
    const forged = chronicle(dataDir, ['audit', 'verify', out])
    expect(forged.stdout).toContain('Signature: holds')
    expect(forged.code).toBe(1)
    expect(forged.stdout).toContain(`FAILED: the export is signed by key ${forger.fingerprint}`)
    expect(forged.stdout).toContain('no device of this library registered')
    expect(forged.stdout).toContain(`--fingerprint ${forger.fingerprint}`)
    // Trusting the forger's key explicitly is the user's call, and then it verifies.
    const trusted = chronicle(dataDir, ['audit', 'verify', out, '--fingerprint', forger.fingerprint])
    expect(trusted.code).toBe(0)
    expect(trusted.stdout).toContain(`Signed by key ${forger.fingerprint}, trusted with --fingerprint`)
  })

  it('names the device whose registered key signed, and trusts a key given on another machine', async () => {
    const { dataDir } = await seeded()
    const out = join(dataDir, 'trail.ndjson')
    expect(chronicle(dataDir, ['audit', 'export', '--out', out]).code).toBe(0)
    const { fingerprint, publicKey } = loadOrCreateSigningKey(dataDir)
    const ok = chronicle(dataDir, ['audit', 'verify', out])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain(`Signed by Dain's laptop (${LAPTOP}), key ${fingerprint}`)
    expect(JSON.parse(chronicle(dataDir, ['audit', 'verify', out, '--json']).stdout)).toMatchObject({
      ok: true,
      signer: { trusted: true, fingerprint, trustedBy: 'library', device: { id: LAPTOP } },
    })

    // Another machine: a data directory with no library in it.
    const elsewhere = scratch.dir()
    const untrusted = chronicle(elsewhere, ['audit', 'verify', out])
    expect(untrusted.code).toBe(1)
    expect(untrusted.stdout).toContain(
      `FAILED: the signer cannot be trusted: there is no Chronicle library in`,
    )
    expect(untrusted.stdout).toContain(`--fingerprint ${fingerprint}`)
    const keyFile = join(elsewhere, 'laptop.key')
    writeFileSync(keyFile, chronicle(dataDir, ['audit', 'key']).stdout)
    for (const trust of [
      ['--key', keyFile],
      ['--key', publicKey],
      ['--fingerprint', fingerprint],
    ]) {
      const given = chronicle(elsewhere, ['audit', 'verify', out, ...trust])
      expect(given.code, trust[0]).toBe(0)
      expect(given.stdout).toContain(`Signed by key ${fingerprint}, trusted with ${trust[0]}`)
    }
    const wrong = chronicle(elsewhere, ['audit', 'verify', out, '--fingerprint', 'SHA256:' + 'A'.repeat(43)])
    expect(wrong.code).toBe(1)
    expect(wrong.stdout).toContain(`not by the key you named`)
    const junk = chronicle(elsewhere, ['audit', 'verify', out, '--key', 'not-a-key'])
    expect(junk.code).toBe(2)
    expect(junk.stderr).toContain('--key')
  })

  it('verifies the stored chain with --db, and reports one that was tampered with', async () => {
    const { dataDir, head } = await seeded()
    const ok = chronicle(dataDir, ['audit', 'verify', '--db', '--json'])
    expect(ok.code).toBe(0)
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, entries: head })
    const repo = scratch.open({ dataDir })
    await repo.db.updateTable('hub_events').set({ client_id: 'someone-else' }).where('seq', '=', 3).execute()
    await repo.close()
    const failed = chronicle(dataDir, ['audit', 'verify', '--db'])
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain('FAILED: entry 3 (v1.ImportStarted) does not match its hash')
  })

  it('refuses bad arguments with exit 2 and says what is accepted', async () => {
    const { dataDir } = await seeded()
    const since = chronicle(dataDir, ['audit', 'export', '--since', 'yesterday'])
    expect(since).toMatchObject({ code: 2 })
    expect(since.stderr).toContain('--since must be an ISO 8601 date or time')
    const action = chronicle(dataDir, ['audit', 'export', '--action', 'Teleported'])
    expect(action.code).toBe(2)
    expect(action.stderr).toContain('unknown action "Teleported"; actions are ConversationImported')
    const format = chronicle(dataDir, ['audit', 'export', '--format', 'xml'])
    expect(format.stderr).toContain('--format must be one of ndjson, csv, json')
    const missing = chronicle(dataDir, ['audit', 'verify', join(dataDir, 'nothing.ndjson')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('no digest at')
    expect(chronicle(dataDir, ['audit']).stderr).toContain('audit needs a subcommand: export, verify or key')
  })
})
