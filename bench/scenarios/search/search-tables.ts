/** The search scenario's figures as the tables printed on stdout and stored with the JSON. */
import { ratio } from '../../lib/stats'
import type { Table } from '../../lib/table'
import type { SizeFigures } from './database-size'
import type { FuseFigures } from './fuse-peer'
import type { InsertFigures } from './insert-corpus'
import type { PeerQueryFigures } from './like-peer'
import type { OurQueryFigures } from './our-search'
import type { TypingReport } from './typing'

export interface SearchFigures {
  readonly runs: {
    readonly ours: number
    readonly like: number
    readonly fuse: number
    readonly typing: number
  }
  readonly insert: InsertFigures
  readonly size: SizeFigures
  readonly ours: readonly OurQueryFigures[]
  readonly typing: TypingReport
  readonly like: readonly PeerQueryFigures[]
  readonly fuse: FuseFigures
}

const MiB = 2 ** 20
const mib = (bytes: number): number => Math.round((bytes / MiB) * 100) / 100

function insertTable(f: InsertFigures): Table {
  return {
    title: 'Insert (Repository.write, all triggers and FTS live)',
    headers: [
      'conversations',
      'messages',
      'text MiB',
      'batches',
      'msgs/batch',
      'write s',
      'msgs/s',
      'slowest batch ms',
      'generate s',
    ],
    rows: [
      [
        f.conversations,
        f.messages,
        f.textMiB,
        f.batches,
        f.messagesPerBatch,
        f.writeSeconds,
        f.messagesPerSecond,
        f.slowestBatchMs,
        f.generateSeconds,
      ],
    ],
  }
}

function sizeTable(f: SizeFigures): Table {
  const top = f.objects
    .slice(0, 8)
    .map((o) => [o.name, mib(o.bytes), Math.round((o.bytes / f.fileBytes) * 1000) / 10])
  return {
    title: 'Size (after wal_checkpoint(TRUNCATE))',
    headers: ['object', 'MiB', '% of file'],
    rows: [
      ['whole file + WAL', mib(f.fileBytes + f.walBytes), 100],
      ['full-text index (FTS5 shadow tables)', f.ftsBytes === null ? null : mib(f.ftsBytes), f.ftsShare],
      ...top,
    ],
    note: `bytes per message: ${f.bytesPerMessage.toLocaleString('en-US')}`,
  }
}

function latencyTable(f: SearchFigures): Table {
  return {
    title: `Search latency, first page of 50 with snippets (ms; ours ${f.runs.ours} runs after 5 warm-up)`,
    headers: ['query', 'kind', 'p50', 'p95', 'p99', 'page hits', 'matching msgs', 'matching titles'],
    fixed: ['p50', 'p95', 'p99'],
    rows: f.ours.map((q) => [
      q.query,
      q.name,
      q.latency.p50,
      q.latency.p95,
      q.latency.p99,
      q.pageHits,
      q.matchingMessages,
      q.matchingTitles,
    ]),
  }
}

function typingTable(f: TypingReport): Table {
  const row = (query: string, keys: number | null, refused: number | null, l: TypingReport['all']) => [
    query,
    keys,
    refused,
    l.runs,
    l.p50,
    l.p95,
    l.p99,
    l.max,
  ]
  return {
    title: `As you type: every keystroke one search, last word a prefix (ms; each query typed ${f.runs} times after 1)`,
    headers: ['typed', 'keys', 'not yet valid', 'searches', 'p50', 'p95', 'p99', 'max', 'slowest at'],
    fixed: ['p50', 'p95', 'p99', 'max'],
    rows: [
      ...f.queries.map((q) => [...row(q.query, q.keystrokes, q.refused, q.latency), q.slowest]),
      [...row('every keystroke', null, null, f.all), null],
    ],
    note: 'targets: every keystroke p95 < 30 ms, p99 < 60 ms',
  }
}

function prefixTable(f: TypingReport): Table {
  return {
    title: 'Written prefixes (ms; 50 runs after 5 warm-up)',
    headers: ['query', 'p50', 'p95', 'p99', 'page hits'],
    fixed: ['p50', 'p95', 'p99'],
    rows: f.prefixes.map((p) => [p.query, p.latency.p50, p.latency.p95, p.latency.p99, p.hits]),
    note:
      'target: p95 < 20 ms for c*, co* and conn*; migr* and hyst* are longer prefixes that are a sixth and a ' +
      'twenty-third of the rows of their first two letters (the scan reads more rows, or gives way to the merge)',
  }
}

function peerTable(f: SearchFigures): Table {
  const byName = <T extends { name: string }>(list: readonly T[], name: string): T | undefined =>
    list.find((x) => x.name === name)
  return {
    title: `Peers: LIKE '%term%' over message text (${f.runs.like} runs), Fuse.js over ${f.fuse.titles} titles (${f.runs.fuse} runs; index build ${f.fuse.buildMs} ms); ratio = peer / ours`,
    headers: [
      'kind',
      'ours p50',
      'LIKE p50',
      'LIKE p95',
      'LIKE ×p50',
      'LIKE ×p95',
      'LIKE hits',
      'Fuse p50',
      'Fuse p95',
      'Fuse ×p50',
      'Fuse ×p95',
      'Fuse hits',
    ],
    fixed: ['ours p50', 'LIKE p50', 'LIKE p95', 'Fuse p50', 'Fuse p95'],
    rows: f.ours.map((q) => {
      const like = byName(f.like, q.name)
      const fuse = byName(f.fuse.queries, q.name)
      return [
        q.name,
        q.latency.p50,
        like?.latency.p50 ?? null,
        like?.latency.p95 ?? null,
        like ? ratio(like.latency.p50, q.latency.p50) : null,
        like ? ratio(like.latency.p95, q.latency.p95) : null,
        like?.hits ?? null,
        fuse?.latency.p50 ?? null,
        fuse?.latency.p95 ?? null,
        fuse ? ratio(fuse.latency.p50, q.latency.p50) : null,
        fuse ? ratio(fuse.latency.p95, q.latency.p95) : null,
        fuse?.hits ?? null,
      ]
    }),
  }
}

export function searchTables(f: SearchFigures): Table[] {
  return [
    insertTable(f.insert),
    sizeTable(f.size),
    latencyTable(f),
    typingTable(f.typing),
    prefixTable(f.typing),
    peerTable(f),
  ]
}
