/**
 * A file the importing user may not read (permission denied), in every adapter: `chronicle import` names that file
 * with the reason, imports the other units, and keeps everything it imported from the file before.
 * Root reads any file whatever its mode, so under root the CLI runs as user nobody.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { openRepository } from '../repository/repository'
import { PROJECT_ROOT } from '../repository/test-support/child-node'
import { NOBODY, othersCanTraverse, runningAsRoot } from '../repository/test-support/run-as-nobody'
import { useScratch } from '../repository/test-support/scratch'
import type { ImportSummary } from './import-summary'
import { fixtureConversations, linearConversation, writeExport } from './sources/chatgpt/test-exports'
import { API_FILE, UI_FILE } from './sources/roo-cline/task-folders'
import { copySampleTask, MAIN_TASK, SUBTASK } from './sources/roo-cline/test-folders'
import { samplesDir } from './test-support/samples'

const execFileAsync = promisify(execFile)
const scratch = useScratch()
/** Every adapter words it the same way (file-errors.ts). */
const PERMISSION_DENIED = 'cannot be read (permission denied)'

/** [conversations, messages] */
type Counts = readonly [number, number]

interface Case {
  readonly name: string
  /** The source `chronicle import` detects from the path, so the adapter under test is the one that ran. */
  readonly source: string
  /** Writes two units under `root`: returns the path to import and the file of one unit to make unreadable. */
  readonly build: (root: string) => { readonly importPath: string; readonly blocked: string }
  /** What the unit that stays readable imports. */
  readonly readable: Counts
  /** What the unit with the blocked file imports while it can be read. */
  readonly blockedUnit: Counts
}

/** The two sample tasks in `<globalStorage>/tasks`; `blocked` is a file of the larger one. */
function sampleTasks(globalStorage: string, blocked: string) {
  copySampleTask(globalStorage, MAIN_TASK, [API_FILE, UI_FILE])
  copySampleTask(globalStorage, SUBTASK, [API_FILE])
  return { importPath: globalStorage, blocked: join(globalStorage, 'tasks', MAIN_TASK, blocked) }
}

function clineSdkSessions(root: string) {
  const sample = samplesDir('cline-sdk', 'sessions', 'fixture-success-01', 'success.messages.json')
  const session = JSON.parse(readFileSync(sample, 'utf8')) as Record<string, unknown>
  const write = (id: string) => {
    const path = join(root, 'sessions', id, `${id}.messages.json`)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, JSON.stringify({ ...session, sessionId: id }))
    return path
  }
  const blocked = write('session-a')
  write('session-b')
  return { importPath: join(root, 'sessions'), blocked }
}

function claudeCodeProject(root: string) {
  const project = join(root, 'projects', '-home-ada-app')
  mkdirSync(project, { recursive: true })
  const copy = (name: string) => {
    const path = join(project, name)
    copyFileSync(
      samplesDir('claude-code', 'projects', '-Users-dain-workspace-danieldemmel-me-next', name),
      path,
    )
    return path
  }
  copy('3680252d-d4e3-4416-bddd-8f5b5b4fdb7f.jsonl')
  const blocked = copy('5ed31c36-bca8-40fd-8d24-f1a1f0af7901.jsonl')
  return { importPath: join(root, 'projects'), blocked }
}

/** Two Claude Code projects, so that one project folder can be made unreadable. */
function claudeCodeProjects(root: string) {
  const { importPath, blocked } = claudeCodeProject(root)
  const own = join(importPath, '-home-ada-other')
  mkdirSync(own)
  renameSync(blocked, join(own, basename(blocked)))
  return { importPath, blocked: join(own, basename(blocked)) }
}

/** Two exports: the fixture (blocked) and one other conversation, each as conversations.json or as a zip. */
function chatGptExports(root: string, zipped: boolean) {
  const body = (conversations: unknown[]) => {
    const json = JSON.stringify(conversations)
    return zipped ? zipSync({ 'conversations.json': new TextEncoder().encode(json) }) : json
  }
  const write = (name: string, conversations: unknown[]) =>
    zipped
      ? writeExport(join(root, 'exports'), body(conversations), `${name}.zip`)
      : writeExport(join(root, 'exports', name), body(conversations))
  const blocked = write('a', fixtureConversations())
  write('b', [linearConversation('other', 2)])
  return { importPath: join(root, 'exports'), blocked }
}

const tasks = (storage: string, blocked: string) => (root: string) =>
  sampleTasks(join(root, storage), blocked)
/** Name, detected source, units, then what the readable unit and the blocked one (while readable) import. */
const row = (
  name: string,
  source: string,
  build: Case['build'],
  readable: Counts,
  blockedUnit: Counts,
): Case => ({ name, source, build, readable, blockedUnit })

// The main Roo task holds 125 messages: what its 146 UI rows show and the tool results of its 30 requests.
const CASES: readonly Case[] = [
  row(
    'Roo Code api_conversation_history.json',
    'roo',
    tasks('rooveterinaryinc.roo-cline', API_FILE),
    [1, 4],
    [1, 125],
  ),
  row('Roo Code ui_messages.json', 'roo', tasks('rooveterinaryinc.roo-cline', UI_FILE), [1, 4], [1, 125]),
  row('Cline task ui_messages.json', 'cline', tasks('saoudrizwan.claude-dev', UI_FILE), [1, 4], [1, 125]),
  row('Cline SDK session file', 'cline', clineSdkSessions, [1, 4], [1, 4]),
  row('Claude Code session', 'claude-code', claudeCodeProject, [1, 3], [1, 12]),
  row('ChatGPT conversations.json', 'chatgpt', (root) => chatGptExports(root, false), [1, 4], [3, 16]),
  row('ChatGPT export zip', 'chatgpt', (root) => chatGptExports(root, true), [1, 4], [3, 16]),
]

/** The same units, with the folder that holds the blocked file made unreadable instead of the file. */
const folderOf = (kase: Case, build: Case['build'] = kase.build): Case => ({
  ...kase,
  name: kase.name.replace(/ [^ ]+$/, ' folder'),
  build: (root) => {
    const units = build(root)
    return { ...units, blocked: dirname(units.blocked) }
  },
})

const FOLDER_CASES: readonly Case[] = [
  folderOf(CASES[0]!),
  folderOf(CASES[3]!),
  folderOf(CASES[4]!, claudeCodeProjects),
  folderOf(CASES[5]!),
]

function giveToNobody(dir: string): void {
  if (!runningAsRoot) return
  chownSync(dir, NOBODY, NOBODY)
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' }))
    chownSync(join(dir, name), NOBODY, NOBODY)
}

type CliSummary = ImportSummary & { readonly locations: readonly { path: string; source: string }[] }

interface Workspace {
  readonly importPath: string
  readonly blocked: string
  readonly dataDir: string
  /** `chronicle import <importPath> --json` as nobody (as this user when not root). */
  importAsNobody(): Promise<{ readonly status: number | null; readonly summary: CliSummary }>
}

function workspace(kase: Case, skip: (reason: string) => void): Workspace {
  // The child loads the project through tsx, which nobody cannot do from inside a private folder (such as /root).
  if (runningAsRoot && !othersCanTraverse(PROJECT_ROOT))
    skip('running as root inside a folder that user nobody cannot enter')
  const base = scratch.dir()
  const { importPath, blocked } = kase.build(join(base, 'source'))
  const dataDir = join(base, 'data')
  giveToNobody(base)
  return {
    importPath,
    blocked,
    dataDir,
    // Asynchronous: a synchronous spawn would stall the test worker, which must keep answering the runner.
    async importAsNobody() {
      const result = await execFileAsync(
        process.execPath,
        ['bin/chronicle.js', 'import', importPath, '--json', '--data-dir', dataDir],
        {
          cwd: PROJECT_ROOT,
          timeout: 20_000,
          env: { ...process.env, CHRONICLE_DATA_DIR: '', NO_COLOR: '1', TMPDIR: base },
          ...(runningAsRoot ? { uid: NOBODY, gid: NOBODY } : {}),
        },
      ).then(
        ({ stdout, stderr }) => ({ stdout, stderr, status: 0 as number | null }),
        (error: { stdout?: string; stderr?: string; code?: unknown }) => ({
          stdout: error.stdout ?? '',
          stderr: error.stderr ?? '',
          status: typeof error.code === 'number' ? error.code : null,
        }),
      )
      expect(result.stderr).toBe('')
      return { status: result.status, summary: JSON.parse(result.stdout) as CliSummary }
    },
  }
}

/** Conversations and messages in the repository, counted by this (root) process. */
async function storedCounts(dataDir: string): Promise<Counts> {
  const repo = openRepository({ dataDir })
  try {
    const count = async (table: 'conversations' | 'messages') => {
      const row = await repo.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
      return Number(row.n)
    }
    return [await count('conversations'), await count('messages')]
  } finally {
    await repo.close()
    giveToNobody(dataDir)
  }
}

const sum = (a: Counts, b: Counts): Counts => [a[0] + b[0], a[1] + b[1]]

describe('an unreadable file (permission denied)', () => {
  it.for(CASES)('$name: is reported by path, and the other unit is imported', async (kase, { skip }) => {
    const ws = workspace(kase, skip)
    chmodSync(ws.blocked, 0o000)
    const { status, summary } = await ws.importAsNobody()
    expect(summary.locations).toEqual([{ path: ws.importPath, source: kase.source }])
    expect(summary.problems).toEqual([{ path: ws.blocked, reason: PERMISSION_DENIED, retryable: false }])
    expect([summary.conversations.added, summary.messages.added]).toEqual(kase.readable)
    expect(summary.unitsRead).toBe(1)
    expect(status).toBe(1)
  })

  it.for(CASES)('$name: loses nothing imported from it before', async (kase, { skip }) => {
    const ws = workspace(kase, skip)
    const total = sum(kase.readable, kase.blockedUnit)
    const first = (await ws.importAsNobody()).summary
    expect(first.problems).toEqual([])
    expect([first.conversations.added, first.messages.added]).toEqual(total)

    chmodSync(ws.blocked, 0o000)
    // Same size and mtime: the engine does not open the file again, so it cannot notice the lost permission.
    const untouched = (await ws.importAsNobody()).summary
    expect(untouched.problems).toEqual([])
    expect(untouched.unitsUnchanged).toBe(2)

    // A new mtime (the assistant wrote to it) makes the unit changed: now the engine opens the file and is denied.
    const later = new Date(Date.now() + 60_000)
    utimesSync(ws.blocked, later, later)
    const { status, summary } = await ws.importAsNobody()
    expect(summary.problems).toEqual([{ path: ws.blocked, reason: PERMISSION_DENIED, retryable: false }])
    expect(status).toBe(1)
    expect(summary.unitsUnchanged).toBe(1)
    expect([summary.conversations.unchanged, summary.messages.unchanged]).toEqual(kase.readable)
    expect(summary.messages.removed + summary.conversations.removed).toBe(0)
    expect(await storedCounts(ws.dataDir)).toEqual(total)

    // The failure is not permanent: readable again, the unit is read again and nothing is added twice.
    chmodSync(ws.blocked, 0o644)
    const again = (await ws.importAsNobody()).summary
    expect(again.problems).toEqual([])
    expect([again.unitsRead, again.unitsUnchanged]).toEqual([1, 1])
    expect([again.conversations.added, again.messages.added]).toEqual([0, 0])
    expect(await storedCounts(ws.dataDir)).toEqual(total)
  })
})

describe('an unreadable folder (permission denied)', () => {
  it.for(FOLDER_CASES)(
    '$name: is reported by path, and the units beside it are imported',
    async (kase, { skip }) => {
      const ws = workspace(kase, skip)
      chmodSync(ws.blocked, 0o000)
      const { status, summary } = await ws.importAsNobody()
      expect(summary.problems).toEqual([{ path: ws.blocked, reason: PERMISSION_DENIED, retryable: false }])
      expect([summary.conversations.added, summary.messages.added]).toEqual(kase.readable)
      expect(status).toBe(1)
    },
  )
})
