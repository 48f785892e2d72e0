/**
 * Audit export and verification on a real repository file with a real hub eventlog: every format round-trips,
 * content stays out unless asked for, filters select what they say, a cancelled export leaves nothing, and the
 * verifier names the first record that was edited, dropped, inserted or reordered, and a digest that was changed.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AUDIT_ACTIONS } from '../../shared/audit/audit-actions'
import type { AuditRecord } from '../../shared/audit/audit-record'
import { events } from '../../shared/livestore/events'
import { useScratch } from '../repository/test-support/scratch'
import { digestPathFor, type AuditDigest } from './audit-digest'
import { AUDIT_FORMATS, type AuditFormat } from './audit-formats'
import type { AuditFilters } from './audit-query'
import { ExportCancelled, exportAudit } from './export-audit'
import { loadOrCreateSigningKey } from './signing-key'
import { registeredKeys, type Trust } from './trusted-keys'
import { recordsIn } from './test-support/records-in'
import { verifyExport } from './verify-export'
import {
  AWKWARD_TITLE,
  CONVERSATION,
  GITHUB_TOKEN,
  LAPTOP,
  OPENAI_KEY,
  sampleEvents,
  seedEventlog,
  START,
} from './test-support/seed-eventlog'

const scratch = useScratch()

async function setUp(times = 1) {
  const dataDir = scratch.dir()
  const repo = scratch.open({ dataDir })
  const head = await seedEventlog(repo, times, loadOrCreateSigningKey(dataDir))
  // What verify trusts on the device that exported: the keys the library's devices registered.
  const trust: Trust = { registered: await registeredKeys(repo.db), named: [] }
  const verify = (file: string) => verifyExport(file, trust)
  const run = (
    format: AuditFormat,
    options: Partial<{
      workers: number
      filters: AuditFilters
      includeContent: boolean
      redact: boolean
      out: string
      signal: AbortSignal
      onProgress: () => void
    }> = {},
  ) =>
    exportAudit(repo, {
      format,
      filters: options.filters ?? {},
      out: options.out ?? join(dataDir, `audit.${format}`),
      includeContent: options.includeContent ?? false,
      redact: options.redact ?? false,
      dataDir,
      device: { id: LAPTOP, name: "Dain's laptop" },
      ...(options.signal && { signal: options.signal }),
      ...(options.onProgress && { onProgress: options.onProgress }),
      ...(options.workers !== undefined && { workers: options.workers }),
    })
  return { dataDir, repo, head, run, verify }
}

const lines = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n')
const writeLines = (file: string, rows: string[]) => writeFileSync(file, `${rows.join('\n')}\n`)

describe('audit export', () => {
  it('writes the same records in every format, each verifying against its signed digest', async () => {
    const { dataDir, head, run, verify } = await setUp()
    const byFormat: Record<string, AuditRecord[]> = {}
    for (const format of AUDIT_FORMATS) {
      const { file, digest } = await run(format)
      byFormat[format] = await recordsIn(file, format)
      expect(digest.records).toEqual({ count: head, firstSeq: 1, lastSeq: head })
      const report = await verify(file)
      expect(report, format).toMatchObject({
        ok: true,
        records: head,
        fileHashMatches: true,
        signatureHolds: true,
        problem: null,
        signer: { trusted: true, trustedBy: 'library', device: { id: LAPTOP, name: "Dain's laptop" } },
      })
    }
    expect(byFormat.csv).toEqual(byFormat.ndjson)
    expect(byFormat.json).toEqual(byFormat.ndjson)
    const records = byFormat.ndjson ?? []
    // Every kind of event, with its device's latest name, actor, origin, targets and a readable summary.
    expect(new Set(records.map((r) => r.action))).toEqual(new Set(AUDIT_ACTIONS))
    expect(records[3]).toMatchObject({
      seq: 4,
      time: new Date(START + 3 * 60_000).toISOString(),
      deviceId: LAPTOP,
      deviceName: "Dain's laptop",
      actor: 'importer',
      origin: 'import',
      action: 'v1.ConversationImported',
      targets: [CONVERSATION],
      summary: `Imported conversation "${AWKWARD_TITLE.replace('\n', ' ')}" from claude-code (${CONVERSATION})`,
    })
    // The laptop's registration says which key is its own: the trail itself names the signer's device.
    const { publicKey, fingerprint } = loadOrCreateSigningKey(dataDir)
    expect(records[0]?.data).toMatchObject({ deviceId: LAPTOP, signingKey: { publicKey, fingerprint } })
    expect(records.find((r) => r.action === 'v1.ConversationRenamed')?.deviceName).toBe("Dain's laptop")
    expect(records.find((r) => r.action === 'v1.ConversationStarred')?.deviceName).toBe('build box, rack 2')
  })

  it('writes valid documents: one JSON array, one object per NDJSON line, RFC 4180 CSV with quoted commas and quotes', async () => {
    const { head, run } = await setUp()
    const json = JSON.parse(readFileSync((await run('json')).file, 'utf8')) as unknown[]
    expect(json).toHaveLength(head)
    const ndjson = lines((await run('ndjson')).file)
    expect(ndjson).toHaveLength(head)
    for (const line of ndjson) expect(() => JSON.parse(line) as unknown).not.toThrow()
    const csv = readFileSync((await run('csv')).file, 'utf8')
    expect(
      csv.startsWith(
        'seq,time,acceptedAt,deviceId,deviceName,actor,origin,action,targets,summary,clientId,sessionId,data,prevHash,hash,pushedBy\r\n',
      ),
    ).toBe(true)
    // A value with commas and quotes is one quoted field with its quotes doubled.
    expect(csv).toContain(',"Renamed conversation claude-code:0b1c-pool to ""Pool fix, ""final""""",')
    expect(csv.split('\r\n').filter((l) => l !== '')).toHaveLength(head + 1)
  })

  it('leaves message previews and texts out by default, as digests the chain still verifies; --include-content keeps them', async () => {
    const { run, verify } = await setUp()
    const without = readFileSync((await run('ndjson')).file, 'utf8')
    expect(without).not.toContain(OPENAI_KEY)
    expect(without).not.toContain('waits')
    expect(without).toContain('"preview":{"sha256":"')
    const { file } = await run('ndjson', { includeContent: true, out: join(scratch.dir(), 'full.ndjson') })
    expect(readFileSync(file, 'utf8')).toContain(OPENAI_KEY)
    expect((await verify(file)).ok).toBe(true)
  })

  it('masks secrets with --redact, counts them, and the masked export still verifies', async () => {
    const { run, verify } = await setUp()
    const { file, digest } = await run('csv', { includeContent: true, redact: true })
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(OPENAI_KEY)
    expect(text).not.toContain(GITHUB_TOKEN)
    expect(text).toContain('[REDACTED openai-key]')
    expect(text).toContain('[REDACTED github-token]')
    expect(digest.redaction).toEqual({ enabled: true, masked: 3 })
    expect(await verify(file)).toMatchObject({ ok: true })
  })

  it('selects by time, device, action and conversation, and a filtered export verifies', async () => {
    const { run, verify } = await setUp()
    const select = async (filters: AuditFilters) => {
      const out = join(scratch.dir(), 'filtered.ndjson')
      await run('ndjson', { filters, out })
      expect((await verify(out)).ok).toBe(true)
      return recordsIn(out, 'ndjson')
    }
    const all = sampleEvents()
    const since = await select({ since: START + 5 * 60_000, until: START + 9 * 60_000 })
    expect(since.map((r) => r.seq)).toEqual([6, 7, 8, 9, 10])
    const laptop = await select({ deviceId: LAPTOP })
    expect(laptop.length).toBe(all.filter((e) => (e.args as { deviceId: string }).deviceId === LAPTOP).length)
    expect(laptop.every((r) => r.deviceId === LAPTOP)).toBe(true)
    expect((await select({ action: 'ConversationRenamed' })).map((r) => r.action)).toEqual([
      'v1.ConversationRenamed',
    ])
    const about = await select({ conversationId: CONVERSATION })
    expect(about.length).toBeGreaterThan(4)
    expect(about.every((r) => r.targets[0] === CONVERSATION)).toBe(true)
    expect(await select({ deviceId: 'no-such-device' })).toEqual([])
  })

  it('streams in pages, reports progress, and a cancelled export leaves no file under the final name', async () => {
    const { dataDir, head, run } = await setUp(200)
    const progress: number[] = []
    const abort = new AbortController()
    const out = join(dataDir, 'cancelled.ndjson')
    await expect(
      run('ndjson', {
        out,
        signal: abort.signal,
        onProgress: () => {
          progress.push(0)
          if (progress.length === 2) abort.abort()
        },
      }),
    ).rejects.toBeInstanceOf(ExportCancelled)
    expect(readdirSync(dataDir).filter((f) => f.startsWith('cancelled'))).toEqual([])
    const done: number[] = []
    const { file } = await run('ndjson', { onProgress: () => done.push(1) })
    expect(lines(file)).toHaveLength(head)
    expect(done.length).toBeGreaterThan(2)
  })

  it('writes the same bytes with worker threads as on the calling thread, in every format', async () => {
    const { run } = await setUp(60)
    for (const format of AUDIT_FORMATS) {
      const dir = scratch.dir()
      const onWorkers = await run(format, {
        workers: 2,
        out: join(dir, `w.${format}`),
        includeContent: true,
        redact: true,
      })
      const inline = await run(format, {
        workers: 0,
        out: join(dir, `i.${format}`),
        includeContent: true,
        redact: true,
      })
      // The workers really ran (a worker that cannot start falls back to the calling thread without a word).
      expect(onWorkers.windowsOnWorkers, format).toBeGreaterThan(1)
      expect(inline.windowsOnWorkers).toBe(0)
      expect(readFileSync(onWorkers.file).equals(readFileSync(inline.file)), format).toBe(true)
      expect(onWorkers.digest.redaction).toEqual(inline.digest.redaction)
    }
  })

  it('fails on an unwritable target without leaving anything behind', async () => {
    const { run } = await setUp()
    await expect(run('ndjson', { out: join(scratch.dir(), 'no-such-folder', 'a.ndjson') })).rejects.toThrow(
      /ENOENT/,
    )
  })
})

/** Verifies as another machine does that was given the exporting device's key (the export is in its data dir). */
const verifyExportOf = (file: string, digest?: string) =>
  verifyExport(
    file,
    {
      registered: null,
      named: [{ fingerprint: loadOrCreateSigningKey(dirname(file)).fingerprint, by: '--key' }],
    },
    digest,
  )

describe('audit verify', () => {
  async function exported(format: AuditFormat = 'ndjson') {
    const { run } = await setUp()
    const { file } = await run(format)
    return file
  }

  it('names an edited record', async () => {
    const file = await exported()
    const rows = lines(file)
    rows[6] = (rows[6] ?? '').replace('"origin":"import"', '"origin":"ui"')
    writeLines(file, rows)
    expect((await verifyExportOf(file)).problem).toMatchObject({ kind: 'edited', record: 7, seq: 7 })
  })

  it('names an edit to a field outside the chain (the summary) and to the data in a CSV export', async () => {
    const file = await exported()
    const rows = lines(file)
    rows[7] = (rows[7] ?? '').replace('Renamed conversation', 'Starred conversation')
    writeLines(file, rows)
    expect((await verifyExportOf(file)).problem).toMatchObject({ kind: 'edited', record: 8 })
    const csv = await exported('csv')
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('""tags"":[""db"",""urgent""]', '""tags"":[""db""]'))
    expect((await verifyExportOf(csv)).problem).toMatchObject({ kind: 'edited', record: 10 })
  })

  it('names a dropped record, a dropped tail and a dropped head', async () => {
    for (const [drop, expected] of [
      [4, { kind: 'dropped', record: 5, seq: 6 }],
      [24, { kind: 'dropped', record: 24, seq: 24 }],
      [0, { kind: 'dropped', record: 1, seq: 2 }],
    ] as const) {
      const file = await exported()
      const rows = lines(file)
      rows.splice(drop, 1)
      writeLines(file, rows)
      expect((await verifyExportOf(file)).problem, `dropping line ${drop + 1}`).toMatchObject(expected)
    }
  })

  it('names an inserted record and a swap', async () => {
    const file = await exported()
    const rows = lines(file)
    rows.splice(9, 0, rows[3] ?? '')
    writeLines(file, rows)
    expect((await verifyExportOf(file)).problem).toMatchObject({ kind: 'inserted', record: 10, seq: 4 })
    const swapped = await exported()
    const again = lines(swapped)
    ;[again[11], again[12]] = [again[12] ?? '', again[11] ?? '']
    writeLines(swapped, again)
    expect((await verifyExportOf(swapped)).problem).toMatchObject({ kind: 'reordered', record: 12, seq: 13 })
  })

  it('says when the digest was changed: the signature no longer holds', async () => {
    const file = await exported()
    const digestFile = digestPathFor(file)
    const digest = JSON.parse(readFileSync(digestFile, 'utf8')) as AuditDigest
    writeFileSync(digestFile, JSON.stringify({ ...digest, includeContent: true }))
    const report = await verifyExportOf(file)
    expect(report).toMatchObject({ ok: false, signatureHolds: false, fileHashMatches: true, problem: null })
  })

  it('refuses bad input with a clear error: no digest, a digest that is not JSON, a file that is binary junk', async () => {
    const file = await exported()
    await expect(verifyExportOf(file, join(scratch.dir(), 'missing.json'))).rejects.toThrow(
      /no digest at .*--digest/,
    )
    const notJson = join(scratch.dir(), 'digest.json')
    writeFileSync(notJson, '{ not json')
    await expect(verifyExportOf(file, notJson)).rejects.toThrow(/is not JSON/)
    writeFileSync(file, Buffer.from([0, 159, 146, 150, 10, 255, 0, 1]))
    expect((await verifyExportOf(file)).problem).toMatchObject({ kind: 'malformed', record: 1 })
  })

  it('keeps the action list equal to the LiveStore schema', () => {
    expect([...AUDIT_ACTIONS].sort()).toEqual(
      Object.values(events)
        .map((e) => e.name)
        .sort(),
    )
  })
})
