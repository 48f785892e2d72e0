/**
 * The corpus's Claude Code conversations written as Claude Code writes them while a response streams: several
 * lines per API response, one per content block, each repeating message.id, requestId and the usage as it stood
 * when the line was written. Input and cache counts are the same on every line; output_tokens grows, and only the
 * last line has the response's final count (a first line typically says a handful of tokens).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateConversation } from '../../corpus/conversation'
import { createPrng, streamSeed } from '../../corpus/prng'
import type { Vocabularies } from '../../corpus/vocabulary'
import { claudeLineFields } from '../import/write-source-files'

/** Names both price tables know, so the two tools' costs can be compared. */
const modelName = (model: string) =>
  model === 'claude-opus-4-1' ? 'claude-opus-4-1-20250805' : 'claude-sonnet-4-5-20250929'

export interface SessionTruth {
  readonly sessions: number
  readonly responses: number
  readonly lines: number
  readonly bytes: number
  /** Sums over responses of their final figures: what was really billed. */
  readonly tokensIn: number
  readonly tokensOut: number
  readonly cacheWrites: number
  readonly cacheReads: number
  /** Output tokens of each response's first line, summed: what keeping the first snapshot counts. */
  readonly firstSnapshotOut: number
}

export function writeStreamedSessions(
  projectsDir: string,
  seed: number,
  conversations: number,
  vocab: Vocabularies,
): SessionTruth {
  const truth = {
    sessions: 0,
    responses: 0,
    lines: 0,
    bytes: 0,
    tokensIn: 0,
    tokensOut: 0,
    cacheWrites: 0,
    cacheReads: 0,
    firstSnapshotOut: 0,
  }
  for (let index = 0; index < conversations; index++) {
    const generated = generateConversation(seed, index, vocab)
    const { conversation, messages } = generated
    if (conversation.source !== 'claude-code') continue
    const rng = createPrng(streamSeed(seed, index, 0x73747265))
    const project = join(projectsDir, (conversation.workspace ?? '/tmp').replace(/[^A-Za-z0-9]/g, '-'))
    mkdirSync(project, { recursive: true })
    const sessionId = conversation.sourceId
    const model = modelName(conversation.model ?? '')
    const lines: string[] = []
    let parent: string | null = null
    const line = (fields: Record<string, unknown>, at: number) => {
      const uuid = `${sessionId}-${lines.length}`
      lines.push(
        JSON.stringify({
          ...claudeLineFields(sessionId, conversation.workspace, uuid, parent, at),
          ...fields,
        }),
      )
      parent = uuid
    }
    for (const m of messages) {
      const at = m.createdAt ?? conversation.createdAt
      if (m.role !== 'assistant' || !m.usage) {
        const content =
          m.kind === 'tool_result'
            ? [{ type: 'tool_result', tool_use_id: `t${m.ordinal - 1}`, content: m.text }]
            : m.text
        line({ type: 'user', message: { role: 'user', content } }, at)
        continue
      }
      const u = m.usage
      const parts = rng.int(2, 4)
      const cut = Math.ceil(m.text.length / parts)
      for (let j = 0; j < parts; j++) {
        const output =
          j === parts - 1
            ? u.tokensOut
            : j === 0
              ? Math.min(u.tokensOut, rng.int(1, 12))
              : Math.round((u.tokensOut * j) / parts)
        if (j === 0) truth.firstSnapshotOut += output
        const text = m.text.slice(j * cut, (j + 1) * cut)
        const content =
          m.kind === 'tool_call' && j === parts - 1
            ? [{ type: 'tool_use', id: `t${m.ordinal}`, name: 'Bash', input: { command: text } }]
            : [{ type: 'text', text }]
        line(
          {
            type: 'assistant',
            requestId: `req_${m.id}`,
            message: {
              id: `msg_${m.id}`,
              model,
              role: 'assistant',
              content,
              stop_reason: j === parts - 1 ? 'end_turn' : null,
              usage: {
                input_tokens: u.tokensIn,
                output_tokens: output,
                cache_creation_input_tokens: u.cacheWrites,
                cache_read_input_tokens: u.cacheReads,
                cache_creation: {
                  ephemeral_5m_input_tokens: u.cacheWrites - u.cacheWrites1h,
                  ephemeral_1h_input_tokens: u.cacheWrites1h,
                },
              },
            },
          },
          at + j * 300,
        )
      }
      truth.responses++
      truth.tokensIn += u.tokensIn
      truth.tokensOut += u.tokensOut
      truth.cacheWrites += u.cacheWrites
      truth.cacheReads += u.cacheReads
    }
    const text = `${lines.join('\n')}\n`
    writeFileSync(join(project, `${sessionId}.jsonl`), text)
    truth.sessions++
    truth.lines += lines.length
    truth.bytes += Buffer.byteLength(text)
  }
  return truth
}
