/**
 * Edits on machine A, timed hop by hop. An edit is a retitle written into A's repository by another SQLite
 * connection (as the ui scenario's external write, and as an import or another program writes): A's bridge makes it
 * an event, A's hub relays it to the Worker, the Worker serves it to B's relay, B's hub stores it, B's bridge and
 * page draw it. Each hop is read off the clock of the part that did it: the watcher's receipt of the Worker's
 * broadcast, `accepted_at` in each hub's eventlog, and the page's first frame showing the title.
 */
import BetterSqlite3 from 'better-sqlite3'
import type { Page } from '@playwright/test'
import { join } from 'node:path'
import { watchForTitle } from '../ui/page-probes'
import type { MachineLook } from './machine-process'
import type { WorkerWatcher } from './worker-watch'

/** Milliseconds of one edit, from the write on A. */
export interface EditHops {
  /** A's bridge, hub and relay, the socket and the Worker's push: until the Worker served the event. */
  readonly toWorker: number
  /** The Worker's broadcast to B's relay, opened, validated and stored by B's hub. */
  readonly toHubB: number
  /** B's hub to B's page: the pull, B's page store, the list drawn. */
  readonly toPage: number
  readonly total: number
  /** B's hub to B's bridge writing the retitle into B's repository (beside the page, not before it). */
  readonly toSqlB: number
  /** A's hub stored the event (with a remote: once the Worker confirmed A's push). */
  readonly confirmedOnA: number
}

const poll = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function openWriter(dataDir: string) {
  const db = new BetterSqlite3(join(dataDir, 'chronicle.sqlite'))
  db.pragma('busy_timeout = 5000')
  const retitle = db.prepare('UPDATE conversations SET title = ?, last_activity_at = ? WHERE id = ?')
  const ids = db.prepare('SELECT id FROM conversations ORDER BY id LIMIT ?').pluck()
  return {
    ids: (count: number) => ids.all(count) as string[],
    /** Retitles a conversation and moves it to the top of the list; returns when the write committed. */
    retitle: (id: string, title: string): number => {
      const at = Date.now()
      retitle.run(title, at, id)
      return at
    },
    close: () => void db.close(),
  }
}
export type Writer = ReturnType<typeof openWriter>

/** Waits for A's hub to store the event that carries `title`; polling only finds it, `accepted_at` times it. */
export async function storedOn(look: MachineLook, after: number, title: string, timeoutMs = 30_000) {
  const given = Date.now() + timeoutMs
  for (;;) {
    const found = look.eventCarrying(after, title)
    if (found) return found
    if (Date.now() > given) throw new Error(`no event carrying "${title}" after ${after} in ${timeoutMs} ms`)
    await poll(5)
  }
}

export async function editDrawnOnB(
  parts: { page: Page; writer: Writer; lookA: MachineLook; lookB: MachineLook; watcher: WorkerWatcher },
  id: string,
  title: string,
): Promise<EditHops> {
  const { page, writer, lookA, lookB, watcher } = parts
  const after = lookA.head()
  const changesAfter = lookB.changesHead()
  const drawn = watchForTitle(page, title)
  const written = writer.retitle(id, title)
  const drawnAt = await drawn
  const onA = await storedOn(lookA, after, title)
  const servedAt = await watcher.waitFor(onA.seq, 30_000)
  let onB = lookB.acceptedAt(onA.seq)
  while (onB === null) {
    await poll(5)
    onB = lookB.acceptedAt(onA.seq)
  }
  let inSqlB = lookB.changedAt(changesAfter, id)
  for (let waited = 0; inSqlB === null && waited < 30_000; waited += 5) {
    await poll(5)
    inSqlB = lookB.changedAt(changesAfter, id)
  }
  return {
    toSqlB: (inSqlB ?? Number.NaN) - onB,
    toWorker: servedAt - written,
    toHubB: onB - servedAt,
    toPage: drawnAt - onB,
    total: drawnAt - written,
    confirmedOnA: onA.at - written,
  }
}

/** Write on A to A's hub storing the event: what a local push costs, with or without a remote. */
export async function editStoredOnA(
  parts: { writer: Writer; lookA: MachineLook },
  id: string,
  title: string,
) {
  const after = parts.lookA.head()
  const written = parts.writer.retitle(id, title)
  const onA = await storedOn(parts.lookA, after, title)
  return onA.at - written
}

/** Runs `edit` over `ids` one after another, with a pause between so each is its own bridge tick; the first
 * `warmup` untimed. */
export async function editSeries<T>(
  ids: readonly string[],
  warmup: number,
  edit: (id: string, i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = []
  for (const [i, id] of ids.entries()) {
    const result = await edit(id, i)
    if (i >= warmup) results.push(result)
    await poll(150)
  }
  return results
}
