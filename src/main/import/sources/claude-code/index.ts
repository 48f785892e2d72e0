/**
 * Claude Code: `~/.claude/projects/<project>/<sessionId>.jsonl`, one JSON record per line, plus sub-agent files.
 * Each file is one unit and at most one conversation; see session-files.ts for the layout and
 * project-summaries.ts for why titles look at the project's other files without making them part of the unit.
 * A session being written grows by appended lines, so a read goes on from the previous one's checkpoint
 * (session-checkpoint.ts): following a live session costs what was appended, not the whole file.
 */
import { readFile, stat } from 'node:fs/promises'
import type { ImportProblem } from '../../import-summary'
import { UnitReadError, type SourceAdapter } from '../../source-adapter'
import { buildConversation } from './build-conversation'
import { isRecord } from './content-blocks'
import { makeProjectSummaries } from './project-summaries'
import { scanSession } from './scan-session'
import { decodeCheckpoint, encodeCheckpoint, stillAppendOnly } from './session-checkpoint'
import { findSessionUnits, sessionFileOf } from './session-files'

export interface ClaudeCodeAdapterOptions {
  /** Longer lines are counted in metadata.oversizedLines, not parsed, so one huge line cannot exhaust memory. */
  readonly maxLineBytes?: number
}

const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024
const MAX_META_CHARS = 4_096

export function makeClaudeCodeAdapter(options: ClaudeCodeAdapterOptions = {}): SourceAdapter {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
  const projectSummaries = makeProjectSummaries()
  const readUnitFrom: NonNullable<SourceAdapter['readUnitFrom']> = async (unit, previous) => {
    const info = await stat(unit.key)
    if (!info.isFile()) throw new UnitReadError(unit.key, 'is not a file (a session is a .jsonl file)')
    let from = decodeCheckpoint(previous)
    if (from && !(await stillAppendOnly(unit.key, info.size, from))) from = null
    const [skippedBefore, oversizedBefore] = [from?.state.skippedLines ?? 0, from?.state.oversizedLines ?? 0]
    const scan = await scanSession(unit.key, maxLineBytes, from)
    const checkpoint = encodeCheckpoint(scan.checkpoint)
    const problems = skippedLineProblems(
      unit.key,
      scan.state.skippedLines - skippedBefore,
      scan.state.oversizedLines - oversizedBefore,
      maxLineBytes,
    )
    if (scan.state.messageCount === 0) return { conversations: [], checkpoint, problems }
    const file = sessionFileOf(unit.key)
    const summaries = await projectSummaries.near(file.projectDir, unit.key)
    const meta = await readMeta(unit.files.filter((f) => f.endsWith('.meta.json')))
    const imported = buildConversation(file, scan, summaries, meta ? { subagentMeta: meta } : {})
    return { conversations: imported ? [imported] : [], checkpoint, problems }
  }
  return {
    source: 'claude-code',
    findUnits: findSessionUnits,
    readUnitFrom,
    readUnit: async (unit) => {
      const { conversations, problems } = await readUnitFrom(unit, null)
      return { conversations, problems }
    },
    beginPass: () => projectSummaries.beginPass(),
  }
}

export const claudeCodeAdapter: SourceAdapter = makeClaudeCodeAdapter()

/**
 * Lines this read had to skip, as problems of the import (they stay counted in the conversation's metadata too).
 * An unterminated last line is not one: it is the line the assistant is writing, read next time from the
 * checkpoint. A skipped line will not heal by waiting, so these are not retried.
 */
const sizeOf = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`

function skippedLineProblems(
  path: string,
  malformed: number,
  oversized: number,
  maxLineBytes: number,
): ImportProblem[] {
  const lines = (n: number) => (n === 1 ? '1 line' : `${n} lines`)
  const problems: ImportProblem[] = []
  if (malformed > 0)
    problems.push({
      path,
      reason: `${lines(malformed)} not valid JSON: skipped, the rest of the session imported`,
      retryable: false,
    })
  if (oversized > 0)
    problems.push({
      path,
      reason: `${lines(oversized)} longer than ${sizeOf(maxLineBytes)}: skipped, the rest of the session imported`,
      retryable: false,
    })
  return problems
}

/** A sub-agent's .meta.json (its type and task, in the versions that write one), kept when small. */
async function readMeta(paths: readonly string[]): Promise<Record<string, unknown> | null> {
  const path = paths[0]
  if (path === undefined) return null
  try {
    const text = await readFile(path, 'utf8')
    if (text.length > MAX_META_CHARS) return { omittedChars: text.length }
    const value: unknown = JSON.parse(text)
    return isRecord(value) ? value : null
  } catch {
    // The meta file only enriches the sub-agent; the session itself is still worth importing without it.
    return null
  }
}
