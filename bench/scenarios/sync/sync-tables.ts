/** The sync scenario's report: its figures as the tables run.ts prints and bench/results/sync.json keeps. */
import { summarize } from '../../lib/stats'
import type { Cell, Table } from '../../lib/table'
import type { EditHops } from './edits'
import { PARTS, type Part } from './cpu-split'

type CpuSpent = { readonly wall: number } & Record<Part, number>

export interface WorkerSample {
  readonly label: string
  /** The library's events at that moment. */
  readonly events: number
  readonly rssMiB: number
  readonly bytes: number
}

/** Every 10 s of the import: where the events were (A's bridge backlog, A's relay, the Worker, B). */
export interface ImportPoint {
  readonly s: number
  /** Repository changes A's bridge has not made into events yet. */
  readonly backlogA: number
  /** Events A's store made that A's hub (so the Worker) has not confirmed. */
  readonly unconfirmedA: number
  readonly headA: number
  readonly headWorker: number
  readonly headB: number
  readonly conversations: number
  readonly messages: number
}

export interface SyncFigures {
  readonly imported: {
    readonly library: { readonly conversations: number; readonly messages: number }
    readonly events: number
    readonly writtenMs: number
    readonly aSettledMs: number | null
    readonly lastOnAMs: number | null
    readonly lastServedMs: number | null
    readonly lastOnBMs: number | null
    readonly bSqlMs: number | null
    readonly aCounts: { readonly conversations: number; readonly messages: number }
    readonly bCounts: { readonly conversations: number; readonly messages: number }
    readonly timeline: readonly ImportPoint[]
    readonly cpu: { readonly bridging: CpuSpent; readonly relaying: CpuSpent | null }
  }
  readonly firstSyncMs: number
  readonly hops: readonly EditHops[]
  readonly relayed: readonly number[]
  readonly local: readonly number[]
  readonly samples: readonly WorkerSample[]
  readonly workerHead: number
  /** Times the watcher's socket ended and was opened again (the Worker closed it). */
  readonly watcherReopened: number
}

const latencyRow = (label: string, samples: readonly number[], target: string): Cell[] => {
  const s = summarize(samples)
  return [label, s.runs, s.p50, s.p95, s.max, target]
}
const seconds = (ms: number | null): Cell => (ms === null ? 'not reached' : Math.round(ms / 100) / 10)
const MiB = 2 ** 20

export function syncTables(f: SyncFigures): Table[] {
  // A hop the watcher could not time (its socket was opened again meanwhile) is left out of that hop's row.
  const pick = (key: keyof EditHops) => f.hops.map((h) => h[key]).filter(Number.isFinite)
  const relayed = summarize(f.relayed)
  const local = summarize(f.local)
  const imp = f.imported
  const [empty] = f.samples
  const afterImport = f.samples.find((s) => s.label === 'after the import')
  const grown = afterImport && empty ? afterImport : null
  const per100k = (value: number) =>
    grown && grown.events > 0 ? (value / grown.events) * 100_000 : Number.NaN
  return [
    {
      title: `An edit on A (a retitle by another SQLite connection) drawn in B's page, per hop`,
      headers: ['measure', 'runs', 'median ms', 'p95 ms', 'max ms', 'target'],
      rows: [
        latencyRow("write on A to B's page drawing it", pick('total'), 'p95 < 300 ms'),
        latencyRow(
          "… A: bridge, hub, relay, socket, the Worker's push, to its broadcast",
          pick('toWorker'),
          '–',
        ),
        latencyRow("… the Worker's broadcast to B's hub storing it (B's relay)", pick('toHubB'), '–'),
        latencyRow("… B's hub to B's page drawing it", pick('toPage'), '–'),
        latencyRow("(A's hub stores it, once the Worker confirmed A's push)", pick('confirmedOnA'), '–'),
        latencyRow("(B's hub to B's bridge writing it into B's repository)", pick('toSqlB'), '–'),
      ],
      note:
        "Clocks: the write and the Worker's broadcast (a watcher's own sync socket) on the bench's, the hubs' " +
        "accepted_at on each machine's, the page's first frame on the page's; one machine, one system clock. " +
        "The Worker's broadcast reaches the watcher and B's relay at once, and the bench notes it on its next turn: " +
        "B's hop can read a few ms below zero. " +
        `The watcher's socket was closed by the other end ${f.watcherReopened} times; an event it caught up on after that has no Worker time, and those edits are left out of the two rows that need it.`,
    },
    {
      title: `${imp.library.conversations.toLocaleString('en-US')} conversations (${imp.library.messages.toLocaleString('en-US')} messages) written into A's repository, to B's (${imp.events.toLocaleString('en-US')} events)`,
      headers: ['from the start of the write until', 's', 'target'],
      rows: [
        [
          "the write on A ended (the bench's repository connection, as an import's)",
          seconds(imp.writtenMs),
          '–',
        ],
        ["A's hub stored the last event (the Worker confirmed it)", seconds(imp.lastOnAMs), '–'],
        ['A reported no backlog and nothing unconfirmed (polled, 250 ms)', seconds(imp.aSettledMs), '–'],
        ['the Worker served the last event (watcher)', seconds(imp.lastServedMs), '–'],
        ["B's hub stored the last event", seconds(imp.lastOnBMs), '–'],
        [
          `B's repository held every conversation and message (${imp.bCounts.conversations.toLocaleString('en-US')}/${imp.aCounts.conversations.toLocaleString('en-US')}, ${imp.bCounts.messages.toLocaleString('en-US')}/${imp.aCounts.messages.toLocaleString('en-US')}; polled, 250 ms)`,
          seconds(imp.bSqlMs),
          '< 60 s',
        ],
        [
          "then B's page in a fresh Chromium profile, until its list shows them all",
          seconds(f.firstSyncMs),
          '–',
        ],
      ],
    },
    {
      title: 'The import every 10 s: where the events were',
      headers: [
        's',
        "A's changes not yet events",
        "A's events unconfirmed",
        "A's hub head",
        'Worker head',
        "B's hub head",
        "B's conversations",
        "B's messages",
      ],
      rows: imp.timeline.map((p): Cell[] => [
        p.s,
        p.backlogA,
        p.unconfirmedA,
        p.headA,
        p.headWorker,
        p.headB,
        p.conversations,
        p.messages,
      ]),
    },
    {
      title: 'CPU seconds during the import, by process (one core)',
      headers: ['phase', 'wall s', "A's serve", "B's serve", 'workerd', 'wrangler, other', 'bench', 'sum'],
      rows: [
        ["A's bridge making the import into events (to A's backlog 0)", imp.cpu.bridging] as const,
        ["then A's relay alone (to B's repository complete)", imp.cpu.relaying] as const,
      ].map(([label, spent]): Cell[] =>
        spent === null
          ? [label, null, null, null, null, null, null, null]
          : [
              label,
              spent.wall,
              ...PARTS.map((p) => spent[p]),
              PARTS.reduce((sum, p) => sum + spent[p], 0),
            ].map((cell) => (typeof cell === 'number' ? Math.round(cell * 10) / 10 : cell)),
      ),
    },
    {
      title: "A local push with a remote and without: a write on A until A's hub stores its event",
      headers: ['measure', 'runs', 'median ms', 'p95 ms', 'max ms', 'target'],
      rows: [
        latencyRow('with the remote (reachable; B stopped)', f.relayed, '–'),
        latencyRow('with no remote (A left the library, started again)', f.local, '–'),
        [
          'added by the relay',
          null,
          Math.round((relayed.p50 - local.p50) * 100) / 100,
          Math.round((relayed.p95 - local.p95) * 100) / 100,
          null,
          'p95 < 30 ms',
        ],
      ],
      note:
        "Both include A's bridge waking on the write and committing the event; the difference is the relay's " +
        "round trip to the Worker. 'added' is the difference of the two percentiles, not a percentile of differences.",
    },
    {
      title: 'The sync Worker (its workerd processes; its --persist-to directory)',
      headers: ['when', 'events', 'workerd RSS MiB', 'storage MiB'],
      rows: [
        ...f.samples.map((s): Cell[] => [
          s.label,
          s.events,
          Math.round(s.rssMiB * 10) / 10,
          Math.round((s.bytes / MiB) * 10) / 10,
        ]),
        [
          'per 100k events (extrapolated from the import)',
          100_000,
          grown && empty ? Math.round(per100k(grown.rssMiB - empty.rssMiB) * 10) / 10 : null,
          grown && empty ? Math.round((per100k(grown.bytes - empty.bytes) / MiB) * 10) / 10 : null,
        ],
      ],
      note:
        `Per 100k: the growth from the empty Worker to after the import, scaled linearly from ${grown?.events.toLocaleString('en-US') ?? '?'} events. ` +
        'Resident memory is not proportional to the events (the runtime, caches), so its per-100k figure is a rough upper bound. ' +
        "Storage includes the message bodies' packs the Worker held by then (see the bodies' bytes table).",
    },
  ]
}
