/** The tokenizer scenario's figures as tables: ours and trigram side by side. */
import { ratio } from '../../lib/stats'
import type { Table } from '../../lib/table'
import type { VariantFigures } from './variant-figures'

export interface TokenizerFigures {
  readonly messages: number
  readonly textMiB: number
  readonly variants: readonly VariantFigures[]
}

const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 100) / 100

function overviewTable(f: TokenizerFigures): Table {
  return {
    title: `Index size and insert speed (${f.messages.toLocaleString('en-US')} messages, ${f.textMiB} MiB of text)`,
    headers: ['variant', 'tokenize', 'index MiB', 'index B/msg', 'file MiB', 'insert s', 'msgs/s'],
    rows: f.variants.map((v) => [
      v.name,
      v.tokenize,
      mib(v.size.indexBytes),
      v.indexBytesPerMessage,
      mib(v.size.fileBytes),
      v.writeSeconds,
      v.messagesPerSecond,
    ]),
  }
}

function latencyTable(f: TokenizerFigures): Table {
  const [ours, other] = f.variants
  if (!ours || !other) return { title: 'Query latency', headers: [], rows: [] }
  return {
    title: `Query latency, bm25 first page of 50 with snippets (ms, 30 runs); ratio = ${other.name} / ${ours.name}`,
    headers: [
      'kind',
      `${ours.name} p50`,
      `${ours.name} p95`,
      `${ours.name} matches`,
      `${other.name} p50`,
      `${other.name} p95`,
      `${other.name} matches`,
      '×p50',
    ],
    fixed: [`${ours.name} p50`, `${ours.name} p95`, `${other.name} p50`, `${other.name} p95`],
    rows: ours.queries.map((q) => {
      const t = other.queries.find((x) => x.name === q.name)
      return [
        q.name,
        q.latency.p50,
        q.latency.p95,
        q.matching,
        t?.latency.p50 ?? null,
        t?.latency.p95 ?? null,
        t?.matching ?? null,
        t ? ratio(t.latency.p50, q.latency.p50) : null,
      ]
    }),
  }
}

function recallTable(f: TokenizerFigures): Table {
  const [ours, other] = f.variants
  if (!ours || !other) return { title: 'Recall', headers: [], rows: [] }
  return {
    title:
      'Recall: accented words typed without accents (whole words), CJK words inside sentences (substrings)',
    headers: [
      'query',
      'what',
      'expected',
      `${ours.name} found`,
      `${ours.name} recall %`,
      `${ours.name} precision %`,
      `${other.name} found`,
      `${other.name} recall %`,
      `${other.name} precision %`,
    ],
    rows: ours.recall.map((r, i) => {
      const t = other.recall[i]
      return [
        r.probe,
        r.about,
        r.expected,
        r.found,
        r.recall,
        r.precision,
        t?.found ?? null,
        t?.recall ?? null,
        t?.precision ?? null,
      ]
    }),
  }
}

export function tokenizerTables(f: TokenizerFigures): Table[] {
  return [overviewTable(f), latencyTable(f), recallTable(f)]
}
