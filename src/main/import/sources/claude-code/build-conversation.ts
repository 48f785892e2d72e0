/** A scanned session file → Chronicle's conversation row and its messages. */
import { basename } from 'node:path'
import type { MessageInput } from '../../../repository/writes'
import {
  conversationIdFor,
  messageIdFor,
  messageIdentity,
  type ImportedConversation,
} from '../../source-adapter'
import type { ScannedMessage, SessionScan } from './scan-session'
import type { SessionFile } from './session-files'
import type { SessionState } from './session-state'
import { titleOf } from './session-title'
import { totalUsage } from './usage'

export function buildConversation(
  file: SessionFile,
  scan: SessionScan,
  projectSummaries: ReadonlyMap<string, string>,
  extraMetadata: Record<string, unknown> = {},
): ImportedConversation | null {
  const { state, firstOrdinal } = scan
  if (state.messageCount === 0) return null
  const sessionId = file.sessionId ?? state.sessionId ?? undefined
  const sourceId =
    file.agentId === undefined
      ? (sessionId ?? basename(file.path, '.jsonl'))
      : `${sessionId ?? 'unknown'}/agent-${file.agentId}`
  const id = conversationIdFor('claude-code', sourceId)
  const messages = scan.messages.map((m, i) => messageOf(id, firstOrdinal + i, m, state))
  // A session with no timestamps at all is dated to the epoch rather than to the import, so re-imports stay equal.
  const createdAt = state.firstAt ?? 0
  const updatedAt = state.lastAt ?? 0
  const usage = totalUsage(state.usage)
  return {
    firstOrdinal,
    conversation: {
      id,
      source: 'claude-code',
      sourceId,
      title: titleOf(state, projectSummaries, sourceId),
      workspace: state.lastCwd,
      model: mostUsedModel(state.modelLines),
      createdAt,
      updatedAt,
      lastActivityAt: updatedAt,
      tokensIn: usage.tokensIn,
      tokensOut: usage.tokensOut,
      cacheWrites: usage.cacheWrites,
      cacheReads: usage.cacheReads,
      cost: 0,
      parentId:
        file.agentId !== undefined && sessionId !== undefined
          ? conversationIdFor('claude-code', sessionId)
          : null,
      metadata: conversationMetadata(file, scan, sessionId, extraMetadata),
    },
    messages,
  }
}

function messageOf(id: string, ordinal: number, m: ScannedMessage, state: SessionState): MessageInput {
  const parent = parentOrdinal(m.parentUuid, state)
  const identity = messageIdentity(id, ordinal)
  return {
    ...identity,
    role: m.role,
    kind: m.kind,
    createdAt: m.createdAt,
    text: m.text,
    content: m.content,
    parentId: parent !== undefined && parent !== ordinal ? messageIdFor(id, parent) : null,
    metadata: m.metadata,
    ...(m.usage ? { usage: { ...m.usage, responseKey: m.usage.responseKey ?? identity.id } } : {}),
  }
}

/** The nearest message up the parentUuid chain: parents are often progress or hook lines, which are not messages. */
function parentOrdinal(uuid: string | undefined, state: SessionState): number | undefined {
  let current = uuid ?? null
  for (let hops = 0; current !== null && hops < 10_000; hops += 1) {
    const ordinal = state.ordinalOfUuid.get(current)
    if (ordinal !== undefined) return ordinal
    current = state.passThrough.get(current) ?? null
  }
  return undefined
}

function mostUsedModel(lines: ReadonlyMap<string, number>): string | null {
  let best: [string, number] | null = null
  for (const entry of lines) if (!best || entry[1] > best[1]) best = entry
  return best?.[0] ?? null
}

function conversationMetadata(
  file: SessionFile,
  scan: SessionScan,
  sessionId: string | undefined,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const { state } = scan
  const metadata: Record<string, unknown> = {
    sessionId: sessionId ?? null,
    projectFolder: basename(file.projectDir),
    cwds: [...state.cwds],
    versions: [...state.versions],
    gitBranches: [...state.gitBranches],
    ...extra,
  }
  if (file.agentId !== undefined) metadata.agentId = file.agentId
  if (Object.keys(state.otherLines).length > 0) metadata.otherLines = state.otherLines
  if (state.skippedLines > 0) metadata.skippedLines = state.skippedLines
  if (state.oversizedLines > 0) metadata.oversizedLines = state.oversizedLines
  if (scan.incompleteLastLine) metadata.incompleteLastLine = true
  return metadata
}
