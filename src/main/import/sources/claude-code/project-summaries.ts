/**
 * Summary lines ({summary, leafUuid}) are often written into another session file of the same project: when a
 * session is resumed, the new file starts with summaries of earlier sessions' leaves, and some files hold nothing
 * else. A session's title therefore needs its project's other files, but reading them whole for every session
 * would make importing a project quadratic in its size. Claude Code writes summary lines at the head of a file, so
 * only the heads of the other files are read (up to their first non-summary line), and each head is remembered
 * against the file's size and mtime so a re-import reads only heads that changed.
 */
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { stringOf } from './content-blocks'
import { readJsonLines } from './json-lines'

interface HeadEntry {
  readonly size: number
  readonly mtimeMs: number
  readonly summaries: readonly (readonly [leafUuid: string, summary: string])[]
}

export interface ProjectSummaries {
  /** leafUuid → summary from the heads of the .jsonl files in `projectDir` other than `except`. */
  near(projectDir: string, except: string): Promise<Map<string, string>>
  /** An import pass begins (see SourceAdapter.beginPass); the returned function ends it. */
  beginPass(): () => void
}

const HEAD_CHUNK_BYTES = 64 * 1024
const MAX_HEAD_LINE_BYTES = 64 * 1024
const MAX_HEAD_LINES = 2_000

/**
 * During an import pass a project's summaries are gathered once for all its sessions: looking at every sibling
 * for each session made a project of n sessions cost n² stat calls (a quarter of a million for 500 sessions). A
 * file added to the folder changes its mtime and ends the reuse; outside a pass nothing is reused, so a single
 * read (live watching) always sees the siblings as they are.
 */
interface ProjectEntry {
  readonly dirMtimeMs: number
  /** Per file: its head's summaries. */
  readonly files: ReadonlyMap<string, HeadEntry['summaries']>
}

export function makeProjectSummaries(): ProjectSummaries {
  // Memos of file heads and of whole projects, not state: results are the same with empty caches, only slower.
  const heads = new Map<string, HeadEntry>()
  const projects = new Map<string, ProjectEntry>()
  // Passes can overlap (several roots imported at once); reuse lasts while any is running.
  let passes = 0

  const projectOf = async (projectDir: string): Promise<ProjectEntry | null> => {
    let dirMtimeMs: number
    try {
      dirMtimeMs = (await stat(projectDir)).mtimeMs
    } catch {
      return null
    }
    const known = projects.get(projectDir)
    if (passes > 0 && known && known.dirMtimeMs === dirMtimeMs) return known
    let names: string[]
    try {
      names = (await readdir(projectDir, { withFileTypes: true }))
        .filter((e) => e.isFile() && e.name.endsWith('.jsonl'))
        .map((e) => e.name)
        .sort()
    } catch {
      return null
    }
    const files = new Map<string, HeadEntry['summaries']>()
    for (const name of names) {
      const path = join(projectDir, name)
      const head = await headOf(heads, path)
      if (head) files.set(path, head.summaries)
    }
    const entry = { dirMtimeMs, files }
    projects.set(projectDir, entry)
    return entry
  }

  return {
    beginPass() {
      if (passes === 0) projects.clear()
      passes += 1
      let ended = false
      return () => {
        if (!ended) passes -= 1
        ended = true
      }
    },
    async near(projectDir, except) {
      const found = new Map<string, string>()
      const project = await projectOf(projectDir)
      for (const [path, summaries] of project?.files ?? []) {
        if (path === except) continue
        for (const [leaf, summary] of summaries) found.set(leaf, summary)
      }
      return found
    },
  }
}

async function headOf(heads: Map<string, HeadEntry>, path: string): Promise<HeadEntry | null> {
  try {
    const { size, mtimeMs } = await stat(path)
    const known = heads.get(path)
    if (known && known.size === size && known.mtimeMs === mtimeMs) return known
    const entry: HeadEntry = { size, mtimeMs, summaries: await readHeadSummaries(path) }
    heads.set(path, entry)
    return entry
  } catch {
    // A sibling that vanished or cannot be read only costs a title; its own unit reports the problem.
    heads.delete(path)
    return null
  }
}

async function readHeadSummaries(path: string): Promise<[string, string][]> {
  const summaries: [string, string][] = []
  let lines = 0
  for await (const line of readJsonLines(path, MAX_HEAD_LINE_BYTES, HEAD_CHUNK_BYTES)) {
    if (line.kind !== 'json' || line.value.type !== 'summary' || ++lines > MAX_HEAD_LINES) break
    const leaf = stringOf(line.value.leafUuid)
    const summary = stringOf(line.value.summary)?.trim()
    if (leaf && summary) summaries.push([leaf, summary])
  }
  return summaries
}
