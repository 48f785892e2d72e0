/** How API history items become messages: kinds, roles, searchable text, and images without their base64. */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { rooCodeAdapter } from './index'
import { readOnly, writeTask } from './test-folders'

const scratch = useScratch()
const API = 'api_conversation_history.json'
// 3,000 bytes of PNG-looking base64: big enough to notice if it leaked anywhere.
const BASE64 = `iVBORw0KGgo${'A'.repeat(3989)}`

const readItems = async (items: unknown[]) =>
  (await readOnly(rooCodeAdapter, writeTask(scratch.dir(), 'task-1', { [API]: items }))).messages

describe('API history items as messages', () => {
  it('an image block keeps a reference with its size, never the base64', async () => {
    const [message] = await readItems([
      {
        role: 'user',
        ts: 1_700_000_000_000,
        content: [
          { type: 'text', text: 'What is in this picture?' },
          {
            type: 'image',
            source: { type: 'base64', media_type: 'image/png', data: BASE64 },
            cache_control: {},
          },
        ],
      },
    ])
    expect(message?.text).toBe('What is in this picture?\n\n[image image/png, 3 KB]')
    expect(JSON.stringify(message)).not.toContain('AAAA')
    expect(message?.content).toEqual([
      { type: 'text', text: 'What is in this picture?' },
      { type: 'image', omitted: true, mediaType: 'image/png', bytes: 3000, cache_control: {} },
    ])
    expect(message).toMatchObject({ role: 'user', kind: 'text', createdAt: 1_700_000_000_000 })
  })

  it('images inside a tool result and data URLs inside unknown blocks are reduced too', async () => {
    const [result, unknown] = await readItems([
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_1',
            content: [
              { type: 'text', text: 'Screenshot taken' },
              { type: 'image', source: { type: 'base64', media_type: 'image/webp', data: BASE64 } },
            ],
          },
        ],
      },
      {
        role: 'assistant',
        content: [{ type: 'citation_card', url: 'https://x', preview: `data:image/gif;base64,${BASE64}` }],
      },
    ])
    expect(result).toMatchObject({
      role: 'tool',
      kind: 'tool_result',
      text: 'Screenshot taken\n\n[image image/webp, 3 KB]',
    })
    expect(JSON.stringify(result?.content)).toContain('"bytes":3000')
    expect(JSON.stringify([result, unknown])).not.toContain('AAAA')
    expect(unknown?.content).toEqual([
      {
        type: 'citation_card',
        url: 'https://x',
        preview: { type: 'image', omitted: true, mediaType: 'image/gif', bytes: 3000 },
      },
    ])
  })

  it('an unknown block type is kept as it is, and a message of only unknown blocks is kind unknown', async () => {
    const block = { type: 'server_widget', text: 'searchable words', payload: { nested: [1, 2] } }
    const [message] = await readItems([{ role: 'assistant', content: [block] }])
    expect(message).toMatchObject({
      role: 'assistant',
      kind: 'unknown',
      text: 'searchable words',
      content: [block],
    })
  })

  it("a user item holding a tool result and the user's words is split in two, keyed by its ts", async () => {
    const ts = 1_700_000_000_000
    const messages = await readItems([
      {
        role: 'user',
        ts,
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: 'file body' },
          { type: 'text', text: '<feedback>\nLooks wrong\n</feedback>' },
          {
            type: 'text',
            text: '<environment_details>\n# Current Workspace Directory (/w) Files\n</environment_details>',
          },
        ],
      },
    ])
    expect(messages.map((m) => [m.id, m.ordinal, m.role, m.kind, m.text, m.createdAt])).toEqual([
      [`roo:task-1#api-${ts}`, 0, 'tool', 'tool_result', 'file body', ts],
      [`roo:task-1#api-${ts}-1`, 1, 'user', 'text', 'Looks wrong', ts],
    ])
    // The environment details are the assistant's: kept in the content of the part they close, not in its text.
    expect(JSON.stringify(messages[0]?.content)).toContain('Current Workspace Directory')
  })

  it('classifies tool calls, tool results, thinking, summaries and truncation markers', async () => {
    const messages = await readItems([
      'a bare string item',
      { role: 'user', content: 'plain prompt', ts: '2025-01-01T00:00:00Z' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Let me look.', signature: 'sig' },
          { type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'a.ts' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'file body' }] },
      { role: 'assistant', content: [{ type: 'reasoning', text: 'Only thoughts.' }] },
      {
        role: 'assistant',
        content: [{ type: 'text', text: 'Summary of earlier work' }],
        isSummary: true,
        condenseId: 'c1',
      },
      {
        role: 'user',
        content: [{ type: 'text', text: '[3 messages hidden]' }],
        isTruncationMarker: true,
        truncationId: 'x',
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Done.' },
          { type: 'tool_use', name: 'attempt_completion', input: {} },
        ],
      },
      { role: 'narrator', content: 'odd role' },
    ])
    expect(messages.map((m) => [m.role, m.kind])).toEqual([
      ['system', 'unknown'],
      ['user', 'text'],
      ['assistant', 'tool_call'],
      ['tool', 'tool_result'],
      ['assistant', 'thinking'],
      ['assistant', 'summary'],
      ['user', 'event'],
      ['assistant', 'text'],
      ['system', 'text'],
    ])
    expect(messages[0]).toMatchObject({ text: 'a bare string item', content: 'a bare string item' })
    expect(messages[1]).toMatchObject({ text: 'plain prompt', content: undefined, createdAt: 1735689600000 })
    expect(messages[2]?.text).toBe('Let me look.\n\nread_file {"path":"a.ts"}')
    expect(messages[3]?.text).toBe('file body')
    expect(messages[5]?.metadata).toEqual({ isSummary: true, condenseId: 'c1' })
    expect(messages[6]?.metadata).toEqual({ isTruncationMarker: true, truncationId: 'x' })
    expect(messages[8]?.metadata).toEqual({ role: 'narrator' })
  })
})
