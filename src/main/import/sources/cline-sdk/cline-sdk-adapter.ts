/**
 * The Cline SDK (4.0+) session file: `{version, updated_at, agent, sessionId, messages[]}` whose messages have the
 * Anthropic shape plus `ts`, `modelInfo` and `metrics`. Message mapping is shared with the task-folder adapter.
 */
import { basename } from 'node:path'
import { toEpochMs } from '../../message-content'
import { conversationIdFor, UnitReadError, type SourceAdapter } from '../../source-adapter'
import { apiMessages, lastModel, sumItemMetrics } from '../roo-cline/api-history'
import { readJsonFile } from '../roo-cline/json-file'
import { asString, isRecord, maxOf, minOf, omit } from '../roo-cline/json-values'
import { titleFrom } from '../roo-cline/title'
import { findSessionUnits, SESSION_SUFFIX } from './session-files'

export const clineSdkAdapter: SourceAdapter = {
  source: 'cline',
  findUnits: findSessionUnits,
  async readUnit(unit) {
    const { value: doc, mtimeMs } = await readJsonFile(unit.key)
    if (!isRecord(doc) || !Array.isArray(doc.messages))
      throw new UnitReadError(unit.key, 'is not a Cline SDK session (no messages array)')
    const sessionId = asString(doc.sessionId)?.trim() || basename(unit.key, SESSION_SUFFIX)
    // The prefix keeps SDK sessions apart from classic task ids within the one 'cline' source.
    const id = conversationIdFor('cline', `sdk:${sessionId}`)
    const messages = apiMessages(doc.messages, id)
    const times = messages.map((m) => m.createdAt)
    const written = toEpochMs(doc.updated_at) ?? undefined
    const createdAt = minOf([...times, toEpochMs(doc.created_at)]) ?? written ?? Math.round(mtimeMs)
    const lastActivityAt = maxOf([...times, createdAt]) ?? createdAt
    const firstPrompt = messages.find((m) => m.role === 'user' && m.text.trim() !== '')?.text
    return [
      {
        conversation: {
          id,
          source: 'cline',
          sourceId: `sdk:${sessionId}`,
          title: titleFrom(firstPrompt) ?? `Session ${sessionId}`,
          workspace: asString(doc.cwd) ?? asString(doc.workspaceRoot) ?? null,
          model: lastModel(doc.messages) ?? null,
          createdAt,
          // updated_at is when the file was last written, which can be later than the last message.
          updatedAt: maxOf([lastActivityAt, written]) ?? lastActivityAt,
          lastActivityAt,
          ...sumItemMetrics(doc.messages),
          metadata: { format: 'cline-sdk', ...omit(doc, ['messages', 'sessionId', 'cwd', 'workspaceRoot']) },
        },
        messages,
      },
    ]
  },
}
