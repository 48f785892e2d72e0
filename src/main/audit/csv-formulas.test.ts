/**
 * A CSV export opened in a spreadsheet runs no formula that a pushed event chose. The bad input: devices named
 * `=HYPERLINK("http://x","y")`, `+1`, `-1+2`, `@SUM(A1)`, and names starting with a tab or a CR, events pushed with
 * such client and session ids (which the chain hash covers), and names that really start with a quote, which must
 * come back exactly. The export is written and verified as `chronicle audit export` and `verify` do.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { events } from '../../shared/livestore/events'
import { hostIdentity } from '../hub/hub-credentials'
import { openHubEventlog, type GlobalEvent } from '../hub/hub-eventlog'
import { useScratch } from '../repository/test-support/scratch'
import type { AuditFormat } from './audit-formats'
import { csvParser } from './csv'
import { exportAudit } from './export-audit'
import { loadOrCreateSigningKey } from './signing-key'
import { recordsIn } from './test-support/records-in'
import { verifyExport } from './verify-export'

const scratch = useScratch()

const FORMULAS = ['=HYPERLINK("http://x","y")', '+1', '-1+2', '@SUM(A1)', '\t=1+1', '\r=1+1']
/** Values that start with a quote of their own: one before a formula character, and ones before anything else. */
const QUOTED = ["'=already quoted", "''+1", "'plain", "'"]
const START = Date.UTC(2025, 0, 1)

/** One device registered per awkward name, each event pushed with an awkward client and session id. */
async function seed(dataDir: string) {
  const repo = scratch.open({ dataDir })
  const log = await openHubEventlog(repo.db, () => START)
  const names = [...FORMULAS, ...QUOTED]
  const batch: GlobalEvent[] = names.map((name, i) => {
    const event = events.deviceRegistered({
      at: START + i,
      deviceId: `device-${i}`,
      actor: 'user',
      origin: 'ui',
      name,
      kind: 'desktop',
      platform: 'linux',
      appVersion: '0.1.0',
    })
    return {
      name: event.name,
      args: event.args,
      seqNum: i + 1,
      parentSeqNum: i,
      clientId: '@client',
      sessionId: names[(i + 1) % names.length] as string,
    }
  })
  const outcome = await log.append(batch, hostIdentity('device-0'))
  if (outcome.kind !== 'appended') throw new Error(`seeding failed: ${JSON.stringify(outcome)}`)
  return { repo, names }
}

describe('a CSV audit export', () => {
  it('starts no cell with = + - @ tab or CR, verifies, and reads back every value exactly', async () => {
    const dataDir = scratch.dir()
    const { repo, names } = await seed(dataDir)
    const exported = (format: AuditFormat) =>
      exportAudit(repo, {
        format,
        filters: {},
        out: join(dataDir, `audit.${format}`),
        includeContent: false,
        redact: false,
        dataDir,
        device: { id: 'device-0', name: 'laptop' },
        workers: 0,
      })
    const { file } = await exported('csv')

    const parser = csvParser()
    const rows = parser.push(readFileSync(file, 'utf8'))
    const cells = rows.slice(1).flat()
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([])
    const deviceNames = rows.slice(1).map((row) => row[4])
    expect(deviceNames).toEqual([
      ...FORMULAS.map((name) => `'${name}`),
      "''=already quoted",
      "'''+1",
      "'plain",
      "'",
    ])

    const report = await verifyExport(file, {
      registered: null,
      named: [{ fingerprint: loadOrCreateSigningKey(dataDir).fingerprint, by: '--key' }],
    })
    expect(report).toMatchObject({ ok: true, records: names.length, problem: null })
    const read = await recordsIn(file, 'csv')
    expect(read.map((r) => r.deviceName)).toEqual(names)
    expect(read.map((r) => r.sessionId)).toEqual(names.map((_, i) => names[(i + 1) % names.length]))
    expect(read).toEqual(await recordsIn((await exported('ndjson')).file, 'ndjson'))
  })
})
