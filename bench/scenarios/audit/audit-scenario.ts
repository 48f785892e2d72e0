/**
 * Scenario `audit`: a hub eventlog of a million events (size large; 100 per generated conversation) exported in
 * each format by the real exporter in a child process, built as the app ships it (build-child.ts) and with its
 * default worker threads, three runs each: events/s and peak RSS. NDJSON again as the CLI runs it (under tsx) and
 * on the calling thread alone; the exports verified against their digests; and the stored chain verified
 * (`audit verify --db`).
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AUDIT_FORMATS } from '../../../src/main/audit/audit-formats'
import { openRepository } from '../../../src/main/repository/repository'
import { createTempDir } from '../../lib/temp-dir'
import type { Scenario, ScenarioContext, ScenarioOutput } from '../scenario'
import { buildExportChild } from './build-child'
import { generateEventlog } from './generate-eventlog'

const CHILD = fileURLToPath(new URL('./export-child.ts', import.meta.url))
const RUNS = 3
const EVENTS_PER_CONVERSATION = 100

interface ChildResult {
  readonly ms: number
  readonly peakRssMiB: number
  readonly records: number
  readonly bytes?: number
  readonly ok?: boolean
}

/** The child as built JavaScript (the app's form) or as TypeScript under tsx (the CLI's form). */
type ChildForm = { readonly built: string } | 'tsx'

function runChild(form: ChildForm, ...args: string[]): ChildResult {
  const command = form === 'tsx' ? ['--import', 'tsx', CHILD] : [form.built]
  const child = spawnSync(process.execPath, [...command, ...args], { encoding: 'utf8' })
  if (child.status !== 0) throw new Error(`audit child failed: ${child.stderr}`)
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as ChildResult
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? NaN

function row(what: string, runs: ChildResult[]) {
  const perSecond = runs.map((r) => (r.records / r.ms) * 1000)
  const seconds = runs.map((r) => r.ms / 1000)
  return [
    what,
    runs[0]?.records ?? 0,
    median(seconds),
    Math.max(...seconds),
    Math.round(median(perSecond)),
    Math.round(Math.min(...perSecond)),
    runs[0]?.bytes === undefined ? null : Math.round((runs[0].bytes / 2 ** 20) * 10) / 10,
    Math.round(Math.max(...runs.map((r) => r.peakRssMiB))),
    runs.every((r) => r.ok !== false) ? 'yes' : 'NO',
  ]
}

async function run(context: ScenarioContext): Promise<ScenarioOutput> {
  const dir = createTempDir('audit', context.keep)
  try {
    const dataDir = join(dir.path, 'data')
    const events = context.conversations * EVENTS_PER_CONVERSATION
    const repository = openRepository({ dataDir })
    const generated = performance.now()
    await generateEventlog(repository.db, events, (n) => {
      if (n % 100_000 === 0) context.log(`audit: ${n.toLocaleString('en-US')} events written`)
    })
    await repository.close()
    // The kernel is still writing the new database out: the first export would pay for that.
    spawnSync('sync')
    context.log(`audit: eventlog written in ${((performance.now() - generated) / 1000).toFixed(1)} s`)
    const built = { built: await buildExportChild() }
    const rows = []
    const figures: Record<string, unknown> = { events }
    const repeat = (what: string, form: ChildForm, ...args: string[]) =>
      Array.from({ length: RUNS }, (_, i) => {
        context.log(`audit: ${what}, run ${i + 1} of ${RUNS}`)
        return runChild(form, ...args)
      })
    for (const format of AUDIT_FORMATS) {
      const out = join(dir.path, `audit.${format}`)
      const exports = repeat(`export ${format}`, built, 'export', dataDir, format, out)
      const verifies = [runChild(built, 'verify', out, dataDir)]
      rows.push(row(`export ${format}`, exports), row(`verify ${format}`, verifies))
      figures[format] = { exports, verifies }
    }
    const out = join(dir.path, 'again.ndjson')
    // The same NDJSON export as `chronicle audit export` runs it, TypeScript compiled on load by tsx.
    const underTsx = repeat('export ndjson under tsx', 'tsx', 'export', dataDir, 'ndjson', out)
    rows.push(row('export ndjson, as the CLI runs (tsx)', underTsx))
    figures.underTsx = underTsx
    // On the calling thread alone: the least memory, the most time.
    const inline = repeat('export ndjson without workers', built, 'export', dataDir, 'ndjson', out, '0')
    rows.push(row('export ndjson, no worker thread', inline))
    figures.inline = inline
    const db = [runChild(built, 'verify-db', dataDir)]
    rows.push(row('verify --db (stored chain)', db))
    figures.verifyDb = db
    return {
      sqliteVersion: 'see the search scenario',
      figures,
      tables: [
        {
          title: `Audit export and verify (${events.toLocaleString('en-US')} events, child process; export median and slowest of ${RUNS} runs)`,
          headers: [
            'run',
            'events',
            'median s',
            'slowest s',
            'events/s (median)',
            'events/s (slowest)',
            'file MiB',
            'peak RSS MiB',
            'ok',
          ],
          rows,
          note:
            'Targets: NDJSON export above 100,000 events/s, peak RSS under 200 MB. Message previews are left out (default), as in a plain `chronicle audit export`. ' +
            'Rows run the exporter bundled as the app ships it, unless they say tsx.',
        },
      ],
    }
  } finally {
    context.log(`audit: ${dir.dispose()}`)
  }
}

export const auditScenario: Scenario = {
  name: 'audit',
  summary: 'audit export of a million events in NDJSON, CSV and JSON (events/s, peak RSS), and verification',
  defaultSize: 'large',
  run,
}
