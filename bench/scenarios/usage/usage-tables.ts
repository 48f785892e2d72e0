/** The usage scenario's figures as the tables printed on stdout and stored with the JSON. */
import type { Table } from '../../lib/table'
import type { PeerFigures } from './ccusage-peer'
import type { DashboardFigures } from './dashboard-page'
import type { InsertBothFigures } from './insert-both'
import type { QueryFigures } from './query-timings'
import type { RecomputeFigures } from './recompute'

export interface UsageFigures {
  readonly insert: InsertBothFigures
  readonly rows: { readonly usage: number; readonly hourly: number }
  readonly queries: readonly QueryFigures[]
  readonly queryRuns: number
  readonly recompute: readonly RecomputeFigures[]
  readonly peer: PeerFigures
  readonly dashboard: DashboardFigures
}

function insertTable(f: InsertBothFigures, rows: UsageFigures['rows']): Table {
  const row = (name: string, r: InsertBothFigures['withUsage']) => [
    name,
    r.writeSeconds,
    r.messagesPerSecond,
    r.slowestBatchMs,
  ]
  return {
    title: `Insert, the same ${f.messages.toLocaleString('en-US')} messages (${f.responses.toLocaleString('en-US')} with usage), batches alternating`,
    headers: ['corpus', 'write s', 'msgs/s', 'slowest batch ms'],
    rows: [
      row('with usage (priced at write, rollup triggers)', f.withUsage),
      row('usage stripped', f.withoutUsage),
    ],
    note:
      `Writing usage costs ${f.slowdownPercent}% of the SQL write time alone (no file read or parsed). The import's ` +
      'target (throughput within 5% of an import that does not count usage) is measured with `npm run bench ' +
      'import` (bench/README.md). ' +
      `${rows.usage.toLocaleString('en-US')} usage rows, ${rows.hourly.toLocaleString('en-US')} hourly rollup rows.`,
  }
}

function queryTable(queries: readonly QueryFigures[], runs: number): Table {
  return {
    title: `Usage queries (ms; ${runs} timed runs after 3 warm-up, blocks of the whole history fewer)`,
    headers: ['query', 'runs', 'p50', 'p95', 'max', 'rows'],
    rows: queries.map((q) => [q.name, q.summary.runs, q.summary.p50, q.summary.p95, q.summary.max, q.rows]),
    fixed: ['p50', 'p95', 'max'],
    note: 'Target: daily over two years with all filters, p95 under 50 ms.',
  }
}

function recomputeTable(recompute: readonly RecomputeFigures[]): Table {
  return {
    title: 'Price change: every response priced again (recomputeCosts)',
    headers: ['change', 'seconds', 'responses changed', 'conversations changed'],
    rows: recompute.map((r) => [r.name, r.seconds, r.responses, r.conversations]),
    note: 'Target: under 10 s for a million messages.',
  }
}

function peerTable(p: PeerFigures): Table {
  const t = p.truth
  return {
    title: `ccusage ${p.ccusageVersion} beside ours: ${t.sessions} Claude Code sessions, ${t.responses.toLocaleString('en-US')} streamed responses in ${t.lines.toLocaleString('en-US')} lines (${Math.round(t.bytes / 2 ** 20)} MiB)`,
    headers: ['', 'input', 'output', 'cache create', 'cache read', 'cost USD', 'days', 'time'],
    rows: [
      ['the files (final figures)', t.tokensIn, t.tokensOut, t.cacheWrites, t.cacheReads, null, null, null],
      [
        'Chronicle: import, then daily',
        p.ours.inputTokens,
        p.ours.outputTokens,
        p.ours.cacheCreationTokens,
        p.ours.cacheReadTokens,
        p.ours.totalCost,
        p.ours.days,
        `${p.ours.importSeconds} s + ${p.ours.queryMs} ms`,
      ],
      [
        'ccusage daily --json --offline',
        p.ccusage.inputTokens,
        p.ccusage.outputTokens,
        p.ccusage.cacheCreationTokens,
        p.ccusage.cacheReadTokens,
        p.ccusage.totalCost,
        p.ccusage.days,
        `${p.ccusage.medianSeconds} s (median of ${p.ccusage.runs})`,
      ],
    ],
    note:
      `ccusage misses ${p.ccusageOutputMissing.toLocaleString('en-US')} output tokens, ${p.ccusageOutputMissingPercent}% of the true output ` +
      `(it keeps each response's first line; the first lines say ${t.firstSnapshotOut.toLocaleString('en-US')}). ` +
      `Chronicle's time is a one-time import and then a query; ccusage reads every file on every run.`,
  }
}

function dashboardTable(d: DashboardFigures): Table {
  const row = (name: string, s: DashboardFigures['firstPaint'], target: string) => [
    name,
    s.runs,
    s.p50,
    s.p95,
    s.max,
    target,
  ]
  return {
    title: `The dashboard in Chromium: ${d.library.conversations.toLocaleString('en-US')} conversations, ${d.library.responses.toLocaleString('en-US')} responses' usage (${d.library.messages.toLocaleString('en-US')} message bodies)`,
    headers: ['measure', 'runs', 'median ms', 'p95 ms', 'max ms', 'target'],
    rows: [
      row('first paint after opening the view', d.firstPaint, '< 300 ms'),
      row('re-render after a filter or control change', d.filterRender, 'p95 < 100 ms'),
      row("… the main side's answers in those (queries, transfer, parse)", d.answers, ''),
      ...Object.entries(d.byControl).map(([name, s]) => row(`… ${name}, set and set back`, s, '')),
    ],
    fixed: ['median ms', 'p95 ms', 'max ms'],
    note: `The web host's bridge took ${d.bridgeSeconds} s and the page's first sync ${d.firstSyncSeconds} s before the timings.`,
  }
}

export function usageTables(f: UsageFigures): Table[] {
  return [
    insertTable(f.insert, f.rows),
    queryTable(f.queries, f.queryRuns),
    dashboardTable(f.dashboard),
    recomputeTable(f.recompute),
    peerTable(f.peer),
  ]
}
