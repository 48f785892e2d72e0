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
}

const HEAD_CHUNK_BYTES = 64 * 1024
const MAX_HEAD_LINE_BYTES = 64 * 1024
const MAX_HEAD_LINES = 2_000

export function makeProjectSummaries(): ProjectSummaries {
  // A memo of file heads, not state: results are the same with an empty cache, only slower.
  const heads = new Map<string, HeadEntry>()
  return {
    async near(projectDir, except) {
      const found = new Map<string, string>()
      let names: string[]
      try {
        names = (await readdir(projectDir, { withFileTypes: true }))
          .filter((e) => e.isFile() && e.name.endsWith('.jsonl'))
          .map((e) => e.name)
          .sort()
      } catch {
        return found
      }
      for (const name of names) {
        const path = join(projectDir, name)
        if (path === except) continue
        const head = await headOf(heads, path)
        for (const [leaf, summary] of head?.summaries ?? []) found.set(leaf, summary)
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
