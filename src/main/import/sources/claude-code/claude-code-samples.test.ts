/**
 * The adapter over the real Claude Code samples (../shared/samples/claude-code). Every figure here was counted in
 * the files with python3 independently of the adapter.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ImportedConversation } from '../../source-adapter'
import { samplesDir } from '../../test-support/samples'
import { claudeCodeAdapter } from './index'
import { readAll, unitKeys } from './test-session'

const root = samplesDir('claude-code', 'projects')
let all: ImportedConversation[]
const bySource = (sourceId: string) => {
  const found = all.find((c) => c.conversation.sourceId === sourceId)
  if (!found) throw new Error(`no conversation ${sourceId}`)
  return found
}
const kinds = ({ messages }: ImportedConversation) => {
  const counts: Record<string, number> = {}
  for (const m of messages)
    counts[`${m.role}/${m.kind ?? 'text'}`] = (counts[`${m.role}/${m.kind ?? 'text'}`] ?? 0) + 1
  return counts
}
const iso = (ms: number | undefined) => new Date(ms ?? NaN).toISOString()

beforeAll(async () => {
  all = await readAll(claudeCodeAdapter, root)
})

describe('claude code samples', () => {
  it('finds one unit per .jsonl file, and only sessions with messages become conversations', async () => {
    expect((await unitKeys(claudeCodeAdapter, root)).length).toBe(8)
    // 4e27c414 holds one summary line and a95fea4a only file-history-snapshot lines: no conversation, no error.
    expect(all.map((c) => c.conversation.sourceId.slice(0, 8)).sort()).toEqual(
      ['03eb5929', '3680252d', '5ed31c36', '5ed31c36', '71c9afe9', '94604a7b'].sort(),
    )
  })

  it('maps 1.0.55 user, assistant, tool and system lines (71c9afe9)', () => {
    const c = bySource('71c9afe9-d9cc-4583-86b3-e62ba682b83a')
    expect(c.messages).toHaveLength(15)
    expect(kinds(c)).toEqual({
      'user/event': 1,
      'user/text': 5,
      'assistant/text': 3,
      'assistant/tool_call': 2,
      'tool/tool_result': 2,
      'system/event': 2,
    })
    expect(c.conversation.title).toMatch(/^Please have a look at this patch diff, I changed my mind/)
    expect(c.conversation.workspace).toBe('/Users/dain/workspace/claude-code-log')
    expect(c.conversation.model).toBe('claude-opus-4-20250514')
    expect(iso(c.conversation.createdAt)).toBe('2025-07-17T22:21:50.622Z')
    expect(iso(c.conversation.updatedAt)).toBe('2025-07-20T00:00:12.324Z')
    expect(c.messages[5]?.text).toMatch(/^Read \{"file_path":"\/Users\/dain\/workspace\/claude-code-log/)
    expect(c.messages[10]?.text).toContain('PostToolUse:Edit')
    // The toolUseResult of line 6 (1.7 KB) is kept; the one of line 9 (55 KB, the whole file) is not.
    expect(c.messages[6]?.metadata?.toolUseResult).toBeDefined()
    expect(c.messages[9]?.metadata?.toolUseResult).toBeUndefined()
    expect(c.messages[9]?.metadata?.toolUseResultOmittedChars).toBeGreaterThan(50_000)
    // Line 13 continues from the first line (a /clear), not from the line before it.
    expect(c.messages[13]?.parentId).toBe(`${c.conversation.id}#0`)
    expect(c.messages[4]?.metadata).toMatchObject({
      messageId: 'msg_011uPCBFTvq1a89rvwRRgj1G',
      model: 'claude-opus-4-20250514',
      version: '1.0.55',
      gitBranch: 'main',
    })
  })

  it('sums tokens once per API response, not once per line', () => {
    const tokens = (id: string) => {
      const { tokensIn, tokensOut, cacheWrites, cacheReads } = bySource(id).conversation
      return [tokensIn, tokensOut, cacheWrites, cacheReads]
    }
    // 71c9afe9 splits 2 responses over 2 lines each; output_tokens grows while streaming (170 → 643).
    expect(tokens('71c9afe9-d9cc-4583-86b3-e62ba682b83a')).toEqual([14, 643, 19749, 36713])
    expect(tokens('5ed31c36-bca8-40fd-8d24-f1a1f0af7901')).toEqual([43, 3, 4330, 44742])
    expect(tokens('03eb5929-52b3-4b13-ada3-b93ae35806b8')).toEqual([23, 88, 9036, 239606])
    expect(tokens('94604a7b-062f-4369-bdf0-da948381c3e5')).toEqual([2, 1, 6198, 13794])
    expect(tokens('3680252d-d4e3-4416-bddd-8f5b5b4fdb7f')).toEqual([0, 0, 0, 0])
    // Summing every assistant line instead would count 5ed31c36's cache reads more than twice.
    expect(
      rawLineSum('-Users-dain-workspace-danieldemmel-me-next/5ed31c36-bca8-40fd-8d24-f1a1f0af7901.jsonl'),
    ).toEqual([86, 7, 16231, 97602])
    expect(rawLineSum('-experiments-ideas/03eb5929-52b3-4b13-ada3-b93ae35806b8.jsonl')).toEqual([
      62, 220, 31290, 575926,
    ])
  })

  it('links the sub-agent file to its parent session (agent-c3d572ee → 5ed31c36)', () => {
    const agent = bySource('5ed31c36-bca8-40fd-8d24-f1a1f0af7901/agent-c3d572ee')
    expect(agent.conversation.id).toBe('claude-code:5ed31c36-bca8-40fd-8d24-f1a1f0af7901/agent-c3d572ee')
    expect(agent.conversation.parentId).toBe('claude-code:5ed31c36-bca8-40fd-8d24-f1a1f0af7901')
    expect(agent.conversation.title).toBe('Warmup')
    expect(kinds(agent)).toEqual({ 'user/text': 1, 'assistant/text': 1 })
    expect(agent.messages[1]?.metadata).toMatchObject({ isSidechain: true, agentId: 'c3d572ee' })
    expect(agent.conversation.metadata).toMatchObject({ agentId: 'c3d572ee' })
    expect([
      agent.conversation.tokensIn,
      agent.conversation.tokensOut,
      agent.conversation.cacheReads,
    ]).toEqual([3, 62, 1374])
  })

  it('maps 2.0.28 tool calls and titles past the IDE context tag (5ed31c36)', () => {
    const c = bySource('5ed31c36-bca8-40fd-8d24-f1a1f0af7901')
    expect(c.messages).toHaveLength(12)
    expect(kinds(c)).toEqual({
      'user/text': 1,
      'assistant/text': 3,
      'assistant/tool_call': 4,
      'tool/tool_result': 4,
    })
    expect(c.conversation.title).toMatch(/^I keep getting mysterious build errors when MDX files/)
    expect(c.conversation.title).toHaveLength(200)
    expect(c.conversation.parentId).toBeNull()
    expect(c.messages[2]?.text).toBe('Glob {"pattern":"**/.markdownlint*"}')
    expect(c.messages[5]?.text).toBe('No files found')
  })

  it('keeps summaries that point elsewhere out of the title (3680252d: meta and commands only)', () => {
    const c = bySource('3680252d-d4e3-4416-bddd-8f5b5b4fdb7f')
    expect(kinds(c)).toEqual({ 'user/event': 1, 'user/text': 2 })
    // None of the 4 summary leafUuids in this project folder is a line of this session.
    expect(c.conversation.title).toBe('/model')
    expect(c.conversation.model).toBeNull()
    expect(c.conversation.metadata).toMatchObject({ otherLines: { summary: 3 }, versions: ['2.0.0'] })
  })

  it('maps 2.1.42 thinking, stop hooks, snapshots and progress lines (03eb5929)', () => {
    const c = bySource('03eb5929-52b3-4b13-ada3-b93ae35806b8')
    expect(c.messages).toHaveLength(41)
    expect(kinds(c)).toEqual({
      'user/text': 9,
      'user/event': 1,
      'assistant/text': 14,
      'assistant/thinking': 6,
      'assistant/tool_call': 2,
      'tool/tool_result': 2,
      'system/event': 7,
    })
    expect(c.conversation.metadata).toMatchObject({
      otherLines: { 'file-history-snapshot': 9, progress: 11 },
      gitBranches: ['HEAD'],
      projectFolder: '-experiments-ideas',
    })
    expect(c.conversation.model).toBe('claude-opus-4-6')
    expect(c.messages[2]?.text).toMatch(/^The user is talking about the current directory/)
    expect(c.messages[9]).toMatchObject({ role: 'system', text: '[stop_hook_summary]' })
    // The stop-hook line's parent is a progress line; the link goes through it to the assistant reply (#8).
    expect(c.messages[9]?.parentId).toBe(`${c.conversation.id}#8`)
    // The first prompt's parent is a SessionStart progress line with no parent: a root.
    expect(c.messages[0]?.parentId).toBeNull()
  })

  it('skips queue-operation and progress lines of 2.1.17 (94604a7b)', () => {
    const c = bySource('94604a7b-062f-4369-bdf0-da948381c3e5')
    expect(kinds(c)).toEqual({ 'user/text': 1, 'assistant/text': 1 })
    expect(c.conversation.title).toBe('What are the tools that are available to you (allowed or not)?')
    expect(c.conversation.metadata).toMatchObject({ otherLines: { 'queue-operation': 1, progress: 1 } })
    expect(iso(c.conversation.createdAt)).toBe('2026-01-23T17:30:15.190Z')
    expect(iso(c.conversation.lastActivityAt)).toBe('2026-01-23T17:30:27.778Z')
  })

  it('gives dense ordinals and derived ids', () => {
    for (const { conversation, messages } of all)
      messages.forEach((m, i) => {
        expect(m.ordinal).toBe(i)
        expect(m.id).toBe(`${conversation.id}#${i}`)
      })
  })
})

function rawLineSum(relative: string): number[] {
  const sum = [0, 0, 0, 0]
  for (const text of readFileSync(join(root, relative), 'utf8').split('\n')) {
    if (!text.trim()) continue
    const usage = (JSON.parse(text) as { message?: { usage?: Record<string, number> } }).message?.usage
    if (!usage) continue
    const fields = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens']
    fields.forEach((f, i) => (sum[i] = (sum[i] ?? 0) + (usage[f] ?? 0)))
  }
  return sum
}
