/**
 * Where Claude Code's session files are, and what a file's path says about it. Every `.jsonl` file is a unit of
 * its own (a session, or a sub-agent run), so a session being written re-reads that one file only.
 */
import type { Dirent } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { unlistableFolder } from '../../file-errors'
import type { SourceUnit } from '../../source-adapter'

export interface SessionFile {
  readonly path: string
  /** From the file name for a session; for a newer sub-agent, from its `<sessionId>/subagents/` folder. */
  readonly sessionId: string | undefined
  /** Set for sub-agent files (`agent-<id>.jsonl`). */
  readonly agentId: string | undefined
  /** The `~/.claude/projects/<project>` folder the file belongs to. */
  readonly projectDir: string
}

const AGENT_FILE = /^agent-(.+)\.jsonl$/

export function sessionFileOf(path: string): SessionFile {
  const name = basename(path)
  const agentId = AGENT_FILE.exec(name)?.[1]
  const folder = dirname(path)
  if (agentId !== undefined && basename(folder) === 'subagents') {
    const sessionDir = dirname(folder)
    return { path, agentId, sessionId: basename(sessionDir), projectDir: dirname(sessionDir) }
  }
  return {
    path,
    agentId,
    sessionId: agentId === undefined ? basename(name, '.jsonl') : undefined,
    projectDir: folder,
  }
}

/** `.claude/projects/<project>/<sessionId>/subagents/agent-<id>.jsonl` is three folders below `projects`. */
const MAX_DEPTH = 3

/**
 * The units under `root`: `~/.claude`, its `projects` folder, one project folder or a single file. Symbolic links
 * to folders are not followed (a link loop, or a link to `/`, must not walk the disk); links to files are read.
 */
export async function* findSessionUnits(root: string): AsyncGenerator<SourceUnit> {
  const rootStat = await stat(root)
  if (!rootStat.isDirectory()) {
    if (root.endsWith('.jsonl')) yield unitOf(root, [])
    return
  }
  const projects = join(root, 'projects')
  // Only the projects folder of ~/.claude holds sessions: history.jsonl beside it is a prompt log, not a session.
  const start = (await isDirectory(projects)) ? projects : root
  yield* walk(start, 0)
}

async function* walk(dir: string, depth: number): AsyncGenerator<SourceUnit> {
  let entries: Dirent[]
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (error) {
    // Reported rather than skipped: the folder may hold sessions the user expects to see.
    const problem = unlistableFolder('claude-code', dir, error)
    if (problem) yield problem
    return
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const names = new Set(entries.map((e) => e.name))
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (depth < MAX_DEPTH) yield* walk(path, depth + 1)
    } else if (entry.name.endsWith('.jsonl') && (entry.isFile() || (await isLinkToFile(path)))) {
      // Newer sub-agents have a sibling agent-<id>.meta.json; it is part of what the unit read.
      const meta = entry.name.replace(/\.jsonl$/, '.meta.json')
      yield unitOf(path, AGENT_FILE.test(entry.name) && names.has(meta) ? [join(dir, meta)] : [])
    }
  }
}

const unitOf = (path: string, extra: readonly string[]): SourceUnit => ({
  key: path,
  source: 'claude-code',
  files: [path, ...extra],
})

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

async function isLinkToFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false // a dangling link or a link loop (ELOOP)
  }
}
