/**
 * `chronicle audit` as a user runs it (the real binary in a child process): export in each format with its
 * digest, verify that passes and then fails after an edit (exit 1, the record named), verify --db, and bad
 * arguments refused with exit 2 and a hint (a malformed --since, an unknown --action, a missing file).
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { seedEventlog } from '../audit/test-support/seed-eventlog'
import { useScratch } from '../repository/test-support/scratch'

const scratch = useScratch()

function chronicle(dataDir: string, args: string[]) {
  const result = spawnSync(process.execPath, ['bin/chronicle.js', ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

async function seeded() {
  const dataDir = scratch.dir()
  const repo = scratch.open({ dataDir })
  const head = await seedEventlog(repo)
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
