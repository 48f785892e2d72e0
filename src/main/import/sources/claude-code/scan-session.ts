/**
 * One pass over a session file: the messages in file order plus what the conversation row needs (summaries, cwd,
 * versions, models, token usage), so a 200 MB file is streamed once and never held whole.
 */
import { UnitReadError } from '../../source-adapter'
import { isRecord, stringOf, type JsonRecord } from './content-blocks'
import { readJsonLines } from './json-lines'
import { mapLine, type MappedLine } from './map-line'
import { addUsage, emptyUsageTotals, type UsageTotals } from './usage'

export interface ScannedMessage extends MappedLine {
  readonly uuid: string | undefined
  /** parentUuid, or logicalParentUuid across a compaction boundary. */
  readonly parentUuid: string | undefined
}

export interface SessionScan {
  readonly messages: ScannedMessage[]
  /** uuid → ordinal of the first message line with that uuid. */
  readonly ordinalOfUuid: Map<string, number>
  /** uuid → parentUuid of lines that are not messages (progress, ...), so parents can be followed through them. */
  readonly passThrough: Map<string, string | undefined>
  /** leafUuid → summary text, from this file's summary lines. */
  readonly summaries: Map<string, string>
  customTitle: string | undefined
  aiTitle: string | undefined
  sessionId: string | undefined
  agentId: string | undefined
  lastCwd: string | undefined
  readonly cwds: Set<string>
  readonly versions: Set<string>
  readonly gitBranches: Set<string>
  readonly modelLines: Map<string, number>
  readonly usage: UsageTotals
  /** Counts of the lines that are not messages, by type: nothing disappears without a trace. */
  readonly otherLines: Record<string, number>
  skippedLines: number
  oversizedLines: number
  incompleteLastLine: boolean
}

const newScan = (): SessionScan => ({
  messages: [],
  ordinalOfUuid: new Map(),
  passThrough: new Map(),
  summaries: new Map(),
  customTitle: undefined,
  aiTitle: undefined,
  sessionId: undefined,
  agentId: undefined,
  lastCwd: undefined,
  cwds: new Set(),
  versions: new Set(),
  gitBranches: new Set(),
  modelLines: new Map(),
  usage: emptyUsageTotals(),
  otherLines: {},
  skippedLines: 0,
  oversizedLines: 0,
  incompleteLastLine: false,
})

export async function scanSession(path: string, maxLineBytes: number): Promise<SessionScan> {
  const scan = newScan()
  let validLines = 0
  for await (const line of readJsonLines(path, maxLineBytes)) {
    if (line.kind === 'malformed') scan.skippedLines += 1
    else if (line.kind === 'oversized') scan.oversizedLines += 1
    else if (line.kind === 'incomplete') scan.incompleteLastLine = true
    else {
      validLines += 1
      addLine(scan, line.value)
    }
  }
  if (validLines === 0 && scan.skippedLines > 0)
    throw new UnitReadError(path, `no valid JSON lines (${scan.skippedLines} malformed)`)
  return scan
}

function addLine(scan: SessionScan, line: JsonRecord): void {
  const uuid = stringOf(line.uuid)
  const parentUuid = stringOf(line.parentUuid) ?? stringOf(line.logicalParentUuid)
  noteEnvelope(scan, line)
  const mapped = mapLine(line)
  if (!mapped) {
    const type = stringOf(line.type) ?? 'untyped'
    scan.otherLines[type] = (scan.otherLines[type] ?? 0) + 1
    noteBookkeeping(scan, type, line)
    if (uuid !== undefined && !scan.passThrough.has(uuid)) scan.passThrough.set(uuid, parentUuid)
    return
  }
  if (uuid !== undefined && !scan.ordinalOfUuid.has(uuid)) scan.ordinalOfUuid.set(uuid, scan.messages.length)
  scan.messages.push({ ...mapped, uuid, parentUuid })
  const message = isRecord(line.message) ? line.message : undefined
  if (line.type === 'assistant' && message) {
    const model = stringOf(message.model)
    // "<synthetic>" marks messages Claude Code made up itself (API errors, interruptions): not a model used.
    if (model && model !== '<synthetic>') scan.modelLines.set(model, (scan.modelLines.get(model) ?? 0) + 1)
    if (isRecord(message.usage)) addUsage(scan.usage, stringOf(message.id), message.usage)
  }
}

function noteEnvelope(scan: SessionScan, line: JsonRecord): void {
  const cwd = stringOf(line.cwd)
  if (cwd) {
    scan.cwds.add(cwd)
    scan.lastCwd = cwd
  }
  const version = stringOf(line.version)
  if (version) scan.versions.add(version)
  const branch = stringOf(line.gitBranch)
  if (branch) scan.gitBranches.add(branch)
  scan.sessionId ??= stringOf(line.sessionId)
  scan.agentId ??= stringOf(line.agentId)
}

function noteBookkeeping(scan: SessionScan, type: string, line: JsonRecord): void {
  if (type === 'summary') {
    const leaf = stringOf(line.leafUuid)
    const summary = stringOf(line.summary)?.trim()
    if (leaf && summary) scan.summaries.set(leaf, summary)
  }
  // /rename writes custom-title lines and newer versions write ai-title lines; the latest of each wins.
  if (type === 'custom-title') scan.customTitle = stringOf(line.customTitle)?.trim() || scan.customTitle
  if (type === 'ai-title') scan.aiTitle = stringOf(line.aiTitle)?.trim() || scan.aiTitle
}
