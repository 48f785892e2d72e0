/** Bad and awkward input, written to temp folders: what is imported, what is skipped and counted, what fails. */
import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { contentsOf, UnitReadError } from '../../source-adapter'
import { claudeCodeAdapter as adapter } from './index'
import {
  SESSION,
  assistantLine,
  jsonl,
  line,
  readAll,
  readFile,
  tempProject,
  unitKeys,
  userLine,
  type TempProject,
} from './test-session'

let project: TempProject
beforeEach(() => {
  project = tempProject()
})
afterEach(() => project.remove())

const session = jsonl([
  userLine('u1', null, 'First question'),
  assistantLine('a1', 'u1', [{ type: 'text', text: 'Answer' }]),
])

describe('claude code bad input', () => {
  it('imports the complete lines of a file still being written and ignores the half line', async () => {
    const path = project.write(`${SESSION}.jsonl`, session + '{"type":"user","message":{"role":"us')
    const [c] = await readFile(adapter, path)
    expect(c?.messages.map((m) => m.text)).toEqual(['First question', 'Answer'])
    expect(c?.conversation.metadata).toMatchObject({ incompleteLastLine: true })
    expect(c?.conversation.metadata?.skippedLines).toBeUndefined()
  })

  it('skips and counts a malformed line in the middle', async () => {
    const [first, second] = session.split('\n')
    const path = project.write(`${SESSION}.jsonl`, `${first}\n{"type": nope\n[1,2]\n${second}\n`)
    const [c] = await readFile(adapter, path)
    expect(c?.messages).toHaveLength(2)
    expect(c?.messages[1]?.parentId).toBe(`${c?.conversation.id}#0`)
    expect(c?.conversation.metadata).toMatchObject({ skippedLines: 2 })
  })

  it('bad input: lines skipped in the middle are problems of the import; the half line being written is not', async () => {
    const [first, second] = session.split('\n')
    const path = project.write(`${SESSION}.jsonl`, `${first}\n{"type": nope\n[1,2]\n${second}\n{"type":"us`)
    const read = await adapter.readUnit({ key: path, source: 'claude-code', files: [path] })
    expect(contentsOf(read).problems).toEqual([
      { path, reason: '2 lines not valid JSON: skipped, the rest of the session imported', retryable: false },
    ])
    // Read on from the checkpoint, the lines skipped before are not reported again.
    const resumed = await adapter.readUnitFrom!({ key: path, source: 'claude-code', files: [path] }, null)
    const again = await adapter.readUnitFrom!(
      { key: path, source: 'claude-code', files: [path] },
      resumed.checkpoint,
    )
    expect(again.problems).toEqual([])
  })

  it('reports binary junk as a UnitReadError with the path', async () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))
    const path = project.write(`${SESSION}.jsonl`, junk)
    const error = await readFile(adapter, path).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnitReadError)
    expect(error).toMatchObject({ path, retryable: false })
    expect((error as UnitReadError).reason).toMatch(/no valid JSON lines/)
  })

  it('reads an empty file, a summary-only file and a snapshot-only file as no conversation', async () => {
    const empty = project.write('empty.jsonl', '')
    const summary = project.write('summary.jsonl', jsonl([{ type: 'summary', summary: 'S', leafUuid: 'x' }]))
    const snapshot = project.write('snap.jsonl', jsonl([{ type: 'file-history-snapshot', messageId: 'm' }]))
    for (const path of [empty, summary, snapshot]) expect(await readFile(adapter, path)).toEqual([])
  })

  it('does not take a folder named x.jsonl for a session, and refuses to read it as one', async () => {
    mkdirSync(join(project.dir, 'x.jsonl'))
    project.write(`${SESSION}.jsonl`, session)
    project.write('notes.txt', 'not a session')
    expect(await unitKeys(adapter, project.root)).toEqual([join(project.dir, `${SESSION}.jsonl`)])
    const error = await readFile(adapter, join(project.dir, 'x.jsonl')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnitReadError)
  })

  it('does not follow symbolic links to folders (a loop ends the walk, not the process)', async () => {
    project.write(`${SESSION}.jsonl`, session)
    symlinkSync(project.dir, join(project.dir, 'loop'))
    symlinkSync(join(project.dir, 'self.jsonl'), join(project.dir, 'self.jsonl'), 'file')
    expect(await unitKeys(adapter, project.root)).toEqual([join(project.dir, `${SESSION}.jsonl`)])
  })

  it('accepts ~/.claude, its projects folder, a project folder or one file as the root', async () => {
    const path = project.write(`${SESSION}.jsonl`, session)
    project.write(`${SESSION}/subagents/agent-abc.jsonl`, session)
    project.write(`${SESSION}/subagents/agent-abc.meta.json`, '{"agentType":"Explore"}')
    const agent = join(project.dir, SESSION, 'subagents', 'agent-abc.jsonl')
    for (const root of [project.root, join(project.root, 'projects'), project.dir])
      expect(await unitKeys(adapter, root)).toEqual([agent, path])
    expect(await unitKeys(adapter, path)).toEqual([path])
  })

  it('links a newer sub-agent (<session>/subagents/agent-<id>.jsonl) to its session and keeps its meta', async () => {
    project.write(`${SESSION}/subagents/agent-abc.jsonl`, session)
    project.write(`${SESSION}/subagents/agent-abc.meta.json`, '{"agentType":"Explore"}')
    const [c] = await readAll(adapter, project.dir)
    expect(c?.conversation).toMatchObject({
      id: `claude-code:${SESSION}/agent-abc`,
      parentId: `claude-code:${SESSION}`,
      metadata: { agentId: 'abc', projectFolder: '-work-demo', subagentMeta: { agentType: 'Explore' } },
    })
  })

  it('replaces base64 images by a reference: none in text, its size in content', async () => {
    const data = Buffer.alloc(30_000, 7).toString('base64')
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data } }
    const path = project.write(
      `${SESSION}.jsonl`,
      jsonl([userLine('u1', null, [{ type: 'text', text: 'What is this?' }, image])]),
    )
    const [c] = await readFile(adapter, path)
    const message = c?.messages[0]
    expect(message?.text).toBe('What is this?\n\n[image image/png, 29 KB]')
    expect(JSON.stringify(message)).not.toContain(data.slice(0, 100))
    expect(message?.content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', omitted: true, mediaType: 'image/png', bytes: 30_000 },
    ])
  })

  it('keeps a line of an unknown type that carries a message, as kind unknown with its raw JSON', async () => {
    const odd = line('assistant-draft', 'd1', 'u1', { role: 'assistant', content: 'a draft reply' })
    const path = project.write(
      `${SESSION}.jsonl`,
      jsonl([userLine('u1', null, 'Hi'), odd, { type: 'mystery', n: 1 }]),
    )
    const [c] = await readFile(adapter, path)
    expect(c?.messages[1]).toMatchObject({
      role: 'assistant',
      kind: 'unknown',
      text: 'a draft reply',
      parentId: `${c?.conversation.id}#0`,
      content: { type: 'assistant-draft', uuid: 'd1' },
      metadata: { lineType: 'assistant-draft' },
    })
    // A line with no message is not a message, but it is counted rather than lost without a trace.
    expect(c?.conversation.metadata).toMatchObject({ otherLines: { mystery: 1 } })
  })

  it('maps compact summaries, meta lines, thinking-only and tool-only replies to their kinds', async () => {
    const path = project.write(
      `${SESSION}.jsonl`,
      jsonl([
        line('user', 'm1', null, { role: 'user', content: 'caveat' }, { isMeta: true }),
        line('user', 's1', 'm1', { role: 'user', content: 'Summary of before' }, { isCompactSummary: true }),
        assistantLine('t1', 's1', [{ type: 'thinking', thinking: 'hmm', signature: 'sig' }]),
        assistantLine('c1', 't1', [{ type: 'tool_use', id: 'tu', name: 'Bash', input: { command: 'ls' } }]),
        userLine('r1', 'c1', [
          { type: 'tool_result', tool_use_id: 'tu', content: [{ type: 'text', text: 'a.txt' }] },
        ]),
      ]),
    )
    const [c] = await readFile(adapter, path)
    expect(c?.messages.map((m) => `${m.role}/${m.kind}:${m.text}`)).toEqual([
      'user/event:caveat',
      'user/summary:Summary of before',
      'assistant/thinking:hmm',
      'assistant/tool_call:Bash {"command":"ls"}',
      'tool/tool_result:a.txt',
    ])
    expect(c?.conversation.title).toBe('Claude Code session 11111111')
  })
})
