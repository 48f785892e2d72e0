/**
 * One machine of the sync scenario: the real `chronicle serve --no-watch` (bin/chronicle.js, its bundle, as a user
 * runs it) on a data directory of its own, and read-only looks into that directory's SQLite from the bench: the
 * hub's eventlog, whose `accepted_at` is the hub's own clock at the append, so a hop is timed where it happened and
 * not when the bench polled. Unlike the e2e helper, stopping keeps the data directory: the scenario starts the same
 * machine again once it has left the library.
 */
import BetterSqlite3 from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { BODY_ELSEWHERE, BODY_FETCHED } from '../../../src/main/repository/body-states'

export interface Machine {
  readonly url: string
  readonly origin: string
  readonly token: string
  readonly pid: number
  stop(): Promise<void>
}

/** `nodeArgs`: flags for Node itself before the script (a CPU profile: bench/lib/cpu-profiles.ts). */
export async function startMachine(dataDir: string, nodeArgs: readonly string[] = []): Promise<Machine> {
  const args = [...nodeArgs, 'bin/chronicle.js', 'serve', '--no-watch', '--data-dir', dataDir]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output)
      if (match?.[1]) resolve(match[1])
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => reject(new Error(`chronicle serve exited with ${code}: ${output}`)))
  })
  const parsed = new URL(url)
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    pid: child.pid ?? 0,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}

export interface SyncStatusView {
  readonly hubHead: number
  readonly repositoryBacklog: number
  readonly unconfirmed: number
  readonly remote: {
    readonly connection: { readonly state: string; readonly caughtUp?: boolean; readonly reason?: string }
    readonly bodies: { readonly toFetch: number; readonly toStore: number; readonly problem: string | null }
  } | null
}

/** Calls one method of the machine's web host API, as its page does; throws on an error value. */
async function callApi<T>(machine: Machine, method: string, args: object): Promise<T> {
  const response = await fetch(`${machine.origin}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${machine.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  })
  const answer = (await response.json()) as { ok: boolean; value?: T }
  if (!answer.ok || answer.value === undefined) throw new Error(`${method} failed: ${JSON.stringify(answer)}`)
  return answer.value
}

/** The machine's own view of its sync, as its page asks for it. */
export const syncStatus = (machine: Machine) => callApi<SyncStatusView>(machine, 'syncStatus', {})

export interface SearchHitView {
  readonly conversationId: string
  readonly messageId: string | null
}

/** The machine's search, as its page asks for it (the search language, the first page of hits). */
export const searchOn = (machine: Machine, query: string) =>
  callApi<{ readonly hits: readonly SearchHitView[] }>(machine, 'search', { query })

/** A read-only connection to a machine's repository, as another program would open it. */
export function lookInto(dataDir: string) {
  const db = new BetterSqlite3(join(dataDir, 'chronicle.sqlite'), { readonly: true })
  db.pragma('busy_timeout = 5000')
  const head = db.prepare('SELECT coalesce(max(seq), 0) FROM hub_events').pluck()
  const acceptedAt = db.prepare('SELECT accepted_at FROM hub_events WHERE seq = ?').pluck()
  const carrying = db.prepare(
    'SELECT seq, accepted_at AS at FROM hub_events WHERE seq > ? AND instr(args, ?) > 0 ORDER BY seq LIMIT 1',
  )
  // The feed names the columns a write changed, not their values: the retitle is the title change of that row.
  const changed = db
    .prepare(
      "SELECT at FROM changes WHERE seq > ? AND entity_id = ? AND instr(coalesce(data, ''), '\"title\"') > 0 ORDER BY seq LIMIT 1",
    )
    .pluck()
  const changesHead = db.prepare('SELECT coalesce(max(seq), 0) FROM changes').pluck()
  const conversations = db.prepare('SELECT count(*) FROM conversations').pluck()
  const messages = db.prepare('SELECT count(*) FROM messages').pluck()
  const withState = db.prepare('SELECT count(*) FROM messages WHERE body_state = ?').pluck()
  const anyWithState = db.prepare('SELECT EXISTS (SELECT 1 FROM messages WHERE body_state = ?)').pluck()
  return {
    head: () => head.get() as number,
    acceptedAt: (seq: number) => (acceptedAt.get(seq) as number | undefined) ?? null,
    /** The first event after `after` whose arguments hold `text` (the hub keeps them in clear). */
    eventCarrying: (after: number, text: string) =>
      (carrying.get(after, text) as { seq: number; at: number } | undefined) ?? null,
    /** When this repository's change feed recorded a change of `id`'s title after change `after`, or null. */
    changedAt: (after: number, id: string) => (changed.get(after, id) as number | undefined) ?? null,
    changesHead: () => changesHead.get() as number,
    counts: () => ({
      conversations: conversations.get() as number,
      messages: messages.get() as number,
    }),
    /** Messages whose body was fetched from the Worker, and those holding only another machine's preview. */
    bodies: () => ({
      fetched: withState.get(BODY_FETCHED) as number,
      previews: withState.get(BODY_ELSEWHERE) as number,
    }),
    anyBodyFetched: () => anyWithState.get(BODY_FETCHED) === 1,
    close: () => void db.close(),
  }
}
export type MachineLook = ReturnType<typeof lookInto>
