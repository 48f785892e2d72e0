/** The sync scenario's tables for message bodies (issue 17): when B can search them, what they cost the Worker. */
import type { Cell, Table } from '../../lib/table'
import type { BodyBytes, WorkerStorage } from './bodies'
import type { BodiesTimes, LongTask } from './bodies-watch'

export interface BodiesFigures {
  readonly times: BodiesTimes
  /** From the start of the write until B's repository held every conversation and message (the import's figure). */
  readonly bSqlMs: number | null
  readonly bytesOnA: BodyBytes
  readonly storageEmpty: WorkerStorage
  readonly storageAfter: WorkerStorage
  /** The long tasks of a page of B's, open on the empty library from before the import until B had every body. */
  readonly longTasks: readonly LongTask[]
}

const seconds = (ms: number | null): Cell => (ms === null ? 'not reached' : Math.round(ms / 100) / 10)
const round1 = (value: number) => Math.round(value * 10) / 10
const MiB = 2 ** 20

export function bodiesTables(f: BodiesFigures): Table[] {
  const t = f.times
  const since = (at: number | null) => (at === null ? null : at - t.started)
  const n = f.bytesOnA.messages
  const blobs = f.storageAfter.blobs - f.storageEmpty.blobs
  const durableObject = f.storageAfter.durableObject - f.storageEmpty.durableObject
  const perMessage = (bytes: number): Cell => (n > 0 ? round1(bytes / n) : null)
  const bytesRow = (label: string, bytes: number, ratio: Cell = '–'): Cell[] => [
    label,
    bytes,
    perMessage(bytes),
    ratio,
  ]
  const ratioTo = (bytes: number): Cell =>
    f.bytesOnA.encoded > 0 ? Math.round((bytes / f.bytesOnA.encoded) * 1000) / 1000 : null
  const end = t.bAllAt ?? t.foundAt ?? Number.POSITIVE_INFINITY
  const longTasksRow = (label: string, from: number | null): Cell[] => {
    if (from === null) return [label, 'not reached', null, null, null]
    const within = f.longTasks.filter((task) => task.at >= from && task.at <= end).map((task) => task.ms)
    return [
      label,
      seconds(Number.isFinite(end) ? end - from : null),
      within.length,
      within.filter((ms) => ms > 100).length,
      within.length > 0 ? Math.round(Math.max(...within)) : null,
    ]
  }
  return [
    {
      title: `Message bodies from A to B: from the start of the write on A (${n.toLocaleString('en-US')} messages)`,
      headers: ['from the start of the write until', 's', 'target'],
      rows: [
        [
          "A had stored every body on the Worker (A's toStore 0 after the write)",
          seconds(since(t.aStoredAt)),
          '–',
        ],
        ['B wrote its first fetched body', seconds(since(t.bFirstAt)), '–'],
        ["(a) B's repository held every conversation and message (the import's row)", seconds(f.bSqlMs), '–'],
        ["(b) B had every body (B's toFetch 0, every message held)", seconds(since(t.bAllAt)), '–'],
        [
          "B's search found the phrase planted in the last body B fetches, in its conversation",
          seconds(since(t.foundAt)),
          '< 90 s',
        ],
      ],
      note:
        "Each machine's syncStatus polled every 250 ms; B's search asked through B's web host API, as its page " +
        'asks, once (a) and (b) held. The phrase sits ' +
        `${t.planted?.at ?? '?'} characters into the last message of the oldest conversation (B fetches the newest ` +
        'first), past the 160-character preview that the events carry.' +
        (t.problems.a || t.problems.b
          ? ` Problems reported: A ${t.problems.a ?? 'none'}; B ${t.problems.b ?? 'none'}.`
          : ''),
    },
    {
      title: 'Message bodies every 10 s: what each machine said was left, and what B held',
      headers: ['s', "A's bodies to store", "B's bodies to fetch", "B's fetched bodies", "B's previews only"],
      rows: t.timeline.map((p): Cell[] => [p.s, p.toStoreA, p.toFetchB, p.fetchedB, p.previewsB]),
    },
    {
      title: "Message bodies' bytes: A's bodies against what the Worker stores for them",
      headers: ['measure', 'bytes', 'per message', 'ratio to encoded bodies'],
      rows: [
        bytesRow(
          "A's text, content and metadata columns (UTF-8)",
          f.bytesOnA.columns,
          ratioTo(f.bytesOnA.columns),
        ),
        bytesRow(
          'the same encoded as bodies ([text, content, metadata], message-body.ts)',
          f.bytesOnA.encoded,
          1,
        ),
        bytesRow(
          `distinct encoded bodies (${f.bytesOnA.distinctBodies.toLocaleString('en-US')}; each stored once)`,
          f.bytesOnA.distinct,
          ratioTo(f.bytesOnA.distinct),
        ),
        bytesRow(
          "the Worker's blobs (R2 simulation's files: packs and their index), growth",
          blobs,
          ratioTo(blobs),
        ),
        bytesRow(
          'overhead: blobs minus encoded bodies',
          blobs - f.bytesOnA.encoded,
          ratioTo(blobs - f.bytesOnA.encoded),
        ),
        bytesRow("the Worker's Durable Object (eventlog, v1.BodiesPacked included), growth", durableObject),
        bytesRow(
          `the Worker's storage (blobs + Durable Object), growth: ${n > 0 ? round1((((blobs + durableObject) / n) * 100_000) / MiB) : '?'} MiB per 100k messages`,
          blobs + durableObject,
          ratioTo(blobs + durableObject),
        ),
      ],
      note:
        "Growth from the empty Worker to B having every body, under --persist-to's v3/r2 and v3/do. The Durable " +
        "Object's growth includes the import's own events, not only the bodies' announcements.",
    },
    {
      title: "B's page while B's bodies download: its long tasks",
      headers: ['window', 's', 'long tasks', 'over 100 ms', 'max ms', 'target'],
      rows: [
        [
          ...longTasksRow("B's first fetched body until B had every body (the download)", t.bFirstAt),
          'none > 100 ms',
        ],
        [...longTasksRow('the start of the write on A until then (events and bodies)', t.started), '–'],
      ],
      note:
        "A page of B's in a profile of its own, opened on the empty library before the import and left open through " +
        "it, as at a machine in use; it draws the import's conversations as they arrive, so the download's window " +
        "holds that work too where the two overlap. Long tasks: the page's PerformanceObserver (each over 50 ms).",
    },
  ]
}
