/**
 * One pass over a session file, from the start or from a checkpoint: the messages it reads plus the state the
 * conversation row needs (summaries, cwd, versions, models, token usage), so a 200 MB file is streamed once and
 * never held whole, and a growing one is read only from where the last import stopped.
 */
import { UnitReadError } from '../../source-adapter'
import { isRecord, stringOf, type JsonRecord } from './content-blocks'
import { readJsonLines } from './json-lines'
import { mapLine, type MappedLine } from './map-line'
import { promptOf } from './session-title'
import { edgesOf, type SessionCheckpoint } from './session-checkpoint'
import { newSessionState, sessionStateFromJson, sessionStateToJson, type SessionState } from './session-state'
import { addUsage, lineUsage, SYNTHETIC_MODEL, type LineUsage } from './usage'

export interface ScannedMessage extends MappedLine {
  /** parentUuid, or logicalParentUuid across a compaction boundary. */
  readonly parentUuid: string | undefined
  /** The API response this line is a snapshot of, when it reports usage. */
  readonly usage: LineUsage | null
}

export interface SessionScan {
  readonly state: SessionState
  /** Ordinal of messages[0]: the messages before it were read by an earlier import. */
  readonly firstOrdinal: number
  readonly messages: ScannedMessage[]
  /** The unterminated last line did not parse: the file is probably still being written. */
  readonly incompleteLastLine: boolean
  /** Where the next read goes on from. It stops before an unterminated last line, which may still grow. */
  readonly checkpoint: SessionCheckpoint
}

export async function scanSession(
  path: string,
  maxLineBytes: number,
  from: SessionCheckpoint | null = null,
): Promise<SessionScan> {
  // The checkpoint's state is taken over, not copied: a checkpoint is decoded afresh for every read.
  const state = from?.state ?? newSessionState()
  const firstOrdinal = state.messageCount
  const messages: ScannedMessage[] = []
  let incompleteLastLine = false
  let stop = from?.offset ?? 0
  let stopState: SessionState | null = null
  for await (const line of readJsonLines(path, maxLineBytes, undefined, stop)) {
    if (line.terminated) stop = line.end
    else stopState = cloneState(state)
    if (line.kind === 'malformed') state.skippedLines += 1
    else if (line.kind === 'oversized') state.oversizedLines += 1
    else if (line.kind === 'incomplete') incompleteLastLine = true
    else {
      state.validLines += 1
      const message = addLine(state, line.value)
      if (message) messages.push(message)
    }
  }
  if (state.validLines === 0 && state.skippedLines > 0)
    throw new UnitReadError(path, `no valid JSON lines (${state.skippedLines} malformed)`)
  // Hashed after the read: a file replaced in between would fail the next resume's check and be read again.
  const edges = from && stop === from.offset ? from : await edgesOf(path, stop)
  const checkpoint = { offset: stop, head: edges.head, tail: edges.tail, state: stopState ?? state }
  return { state, firstOrdinal, messages, incompleteLastLine, checkpoint }
}

const cloneState = (state: SessionState): SessionState =>
  sessionStateFromJson(sessionStateToJson(state)) as SessionState

function addLine(state: SessionState, line: JsonRecord): ScannedMessage | null {
  const uuid = stringOf(line.uuid)
  const parentUuid = stringOf(line.parentUuid) ?? stringOf(line.logicalParentUuid)
  noteEnvelope(state, line)
  const mapped = mapLine(line)
  if (!mapped) {
    const type = stringOf(line.type) ?? 'untyped'
    state.otherLines[type] = (state.otherLines[type] ?? 0) + 1
    noteBookkeeping(state, type, line)
    if (uuid !== undefined && !state.passThrough.has(uuid)) state.passThrough.set(uuid, parentUuid ?? null)
    return null
  }
  if (uuid !== undefined && !state.ordinalOfUuid.has(uuid)) state.ordinalOfUuid.set(uuid, state.messageCount)
  state.messageCount += 1
  noteMessage(state, mapped)
  const message = isRecord(line.message) ? line.message : undefined
  if (line.type === 'assistant' && message) {
    const model = stringOf(message.model)
    if (model && model !== SYNTHETIC_MODEL)
      state.modelLines.set(model, (state.modelLines.get(model) ?? 0) + 1)
  }
  const usage = lineUsage(line)
  if (usage) addUsage(state.usage, usage)
  return { ...mapped, parentUuid, usage }
}

function noteMessage(state: SessionState, message: MappedLine): void {
  const at = message.createdAt
  if (at !== null) {
    state.firstAt = state.firstAt === null ? at : Math.min(state.firstAt, at)
    state.lastAt = state.lastAt === null ? at : Math.max(state.lastAt, at)
  }
  if (state.firstPrompt === null && message.role === 'user' && message.kind === 'text') {
    const { prompt, command } = promptOf(message.text)
    state.firstPrompt = prompt
    state.firstCommand ??= command
  }
}

function noteEnvelope(state: SessionState, line: JsonRecord): void {
  const cwd = stringOf(line.cwd)
  if (cwd) {
    state.cwds.add(cwd)
    state.lastCwd = cwd
  }
  const version = stringOf(line.version)
  if (version) state.versions.add(version)
  const branch = stringOf(line.gitBranch)
  if (branch) state.gitBranches.add(branch)
  state.sessionId ??= stringOf(line.sessionId) ?? null
  state.agentId ??= stringOf(line.agentId) ?? null
}

function noteBookkeeping(state: SessionState, type: string, line: JsonRecord): void {
  if (type === 'summary') {
    const leaf = stringOf(line.leafUuid)
    const summary = stringOf(line.summary)?.trim()
    if (leaf && summary) state.summaries.set(leaf, summary)
  }
  // /rename writes custom-title lines and newer versions write ai-title lines; the latest of each wins.
  if (type === 'custom-title') state.customTitle = stringOf(line.customTitle)?.trim() || state.customTitle
  if (type === 'ai-title') state.aiTitle = stringOf(line.aiTitle)?.trim() || state.aiTitle
}
