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
import { titleOf } from './session-title'
import { totalUsage } from './usage'

export function buildConversation(
  file: SessionFile,
  scan: SessionScan,
  projectSummaries: ReadonlyMap<string, string>,
  extraMetadata: Record<string, unknown> = {},
): ImportedConversation | null {
  if (scan.messages.length === 0) return null
  const sessionId = file.sessionId ?? scan.sessionId
  const sourceId =
    file.agentId === undefined
      ? (sessionId ?? basename(file.path, '.jsonl'))
      : `${sessionId ?? 'unknown'}/agent-${file.agentId}`
  const id = conversationIdFor('claude-code', sourceId)
  const messages = scan.messages.map((m, ordinal) => messageOf(id, ordinal, m, scan))
  // Timestamps are not always in file order (a resumed session); a session with none at all is dated to the
  // epoch rather than to the import, so re-imports stay equal.
  let createdAt = Infinity
  let updatedAt = 0
  for (const { createdAt: at } of scan.messages) {
    if (at === null) continue
    createdAt = Math.min(createdAt, at)
    updatedAt = Math.max(updatedAt, at)
  }
  if (createdAt === Infinity) createdAt = 0
  const usage = totalUsage(scan.usage)
  return {
    conversation: {
      id,
      source: 'claude-code',
      sourceId,
      title: titleOf(scan, projectSummaries, sourceId),
      workspace: scan.lastCwd ?? null,
      model: mostUsedModel(scan.modelLines),
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

function messageOf(id: string, ordinal: number, m: ScannedMessage, scan: SessionScan): MessageInput {
  const parent = parentOrdinal(m.parentUuid, scan)
  return {
    ...messageIdentity(id, ordinal),
    role: m.role,
    kind: m.kind,
    createdAt: m.createdAt,
    text: m.text,
    content: m.content,
    parentId: parent !== undefined && parent !== ordinal ? messageIdFor(id, parent) : null,
    metadata: m.metadata,
  }
}

/** The nearest message up the parentUuid chain: parents are often progress or hook lines, which are not messages. */
function parentOrdinal(uuid: string | undefined, scan: SessionScan): number | undefined {
  let current = uuid
  for (let hops = 0; current !== undefined && hops < 10_000; hops += 1) {
    const ordinal = scan.ordinalOfUuid.get(current)
    if (ordinal !== undefined) return ordinal
    if (!scan.passThrough.has(current)) return undefined
    current = scan.passThrough.get(current)
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
  const metadata: Record<string, unknown> = {
    sessionId: sessionId ?? null,
    projectFolder: basename(file.projectDir),
    cwds: [...scan.cwds],
    versions: [...scan.versions],
    gitBranches: [...scan.gitBranches],
    ...extra,
  }
  if (file.agentId !== undefined) metadata.agentId = file.agentId
  if (Object.keys(scan.otherLines).length > 0) metadata.otherLines = scan.otherLines
  if (scan.skippedLines > 0) metadata.skippedLines = scan.skippedLines
  if (scan.oversizedLines > 0) metadata.oversizedLines = scan.oversizedLines
  if (scan.incompleteLastLine) metadata.incompleteLastLine = true
  return metadata
}
