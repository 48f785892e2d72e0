/** The official Cline SDK fixture (../shared/samples/cline-sdk), and bad session files in temporary folders. */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { UnitReadError } from '../../source-adapter'
import { samplesDir } from '../../test-support/samples'
import { collect, readOnly } from '../roo-cline/test-folders'
import { clineSdkAdapter } from './index'

const scratch = useScratch()
const sessionDir = () => samplesDir('cline-sdk', 'sessions', 'fixture-success-01')
const sessionFile = () => join(sessionDir(), 'success.messages.json')

describe('Cline SDK sessions: finding', () => {
  it('finds the one session from the data folder, sessions/, the session folder or the file', async () => {
    const expected = [{ key: sessionFile(), source: 'cline', files: [sessionFile()] }]
    for (const root of [
      samplesDir('cline-sdk'),
      samplesDir('cline-sdk', 'sessions'),
      sessionDir(),
      sessionFile(),
    ])
      expect(await collect(clineSdkAdapter.findUnits(root))).toEqual(expected)
  })

  it('does not follow a symlink loop or pick up other JSON files', async () => {
    const root = scratch.dir()
    mkdirSync(join(root, 'sessions', 's1'), { recursive: true })
    writeFileSync(join(root, 'sessions', 's1', 's1.messages.json'), readFileSync(sessionFile()))
    writeFileSync(join(root, 'sessions', 's1', 's1.json'), '{}')
    symlinkSync(join(root, 'sessions'), join(root, 'sessions', 'loop'))
    const units = await collect(clineSdkAdapter.findUnits(root))
    expect(units.map((u) => u.key)).toEqual([join(root, 'sessions', 's1', 's1.messages.json')])
  })
})

describe('Cline SDK sessions: reading the fixture', () => {
  it('maps the four messages: prompt, thinking with a tool call, the tool result, the answer', async () => {
    const { messages } = await readOnly(clineSdkAdapter, sessionFile())
    const id = 'cline:sdk:fixture-success-01'
    expect(messages.map((m) => [m.id, m.role, m.kind, m.createdAt])).toEqual([
      [`${id}#0`, 'user', 'text', null],
      [`${id}#1`, 'assistant', 'tool_call', 1745343730123],
      [`${id}#2`, 'tool', 'tool_result', null],
      [`${id}#3`, 'assistant', 'text', 1745343731456],
    ])
    expect(messages[1]?.text).toBe(
      'I should read the README first before summarizing.\n\nread_files {"path":"/tmp/project/README.md"}',
    )
    expect(messages[1]?.content).toEqual([
      { type: 'thinking', thinking: 'I should read the README first before summarizing.' },
      { type: 'tool_use', id: 'tool-call-1', name: 'read_files', input: { path: '/tmp/project/README.md' } },
    ])
    expect(messages[2]).toMatchObject({
      text: '# Project\n\nA small test fixture.',
      metadata: { id: 'msg_user_2' },
    })
    expect(messages[2]?.content).toEqual([
      {
        type: 'tool_result',
        tool_use_id: 'tool-call-1',
        content: '# Project\n\nA small test fixture.',
        is_error: false,
      },
    ])
    // A single bare text block: the text is the content.
    expect(messages[3]).toMatchObject({
      text: 'The README describes a small test fixture project.',
      content: undefined,
    })
    expect(messages[3]?.metadata).toMatchObject({ id: 'msg_assistant_2', metrics: { inputTokens: 21 } })
  })

  it('takes title, model, usage and times from the session', async () => {
    const { conversation } = await readOnly(clineSdkAdapter, sessionFile())
    expect(conversation).toEqual({
      id: 'cline:sdk:fixture-success-01',
      source: 'cline',
      sourceId: 'sdk:fixture-success-01',
      title: 'Inspect the README and summarize it.',
      workspace: null,
      model: 'claude-sonnet-4-6',
      createdAt: 1745343730123,
      lastActivityAt: 1745343731456,
      // updated_at (2026-04-22T17:42:10.123Z) is when the file was written, after the last message.
      updatedAt: 1776879730123,
      tokensIn: 21,
      tokensOut: 8,
      cacheReads: 3,
      cacheWrites: 1,
      cost: 0.13,
      metadata: { format: 'cline-sdk', version: 1, updated_at: '2026-04-22T17:42:10.123Z', agent: 'lead' },
    })
  })
})

describe('Cline SDK sessions: bad input', () => {
  const writeSession = (body: string) => {
    const path = join(scratch.dir(), 'x.messages.json')
    writeFileSync(path, body)
    return path
  }

  it('a truncated session is retryable; one without messages is not a session', async () => {
    const whole = readFileSync(sessionFile(), 'utf8')
    const cut = writeSession(whole.slice(0, 700))
    await expect(readOnly(clineSdkAdapter, cut)).rejects.toMatchObject({ path: cut, retryable: true })
    const wrong = writeSession('{"version":1,"sessionId":"x"}')
    const error: unknown = await readOnly(clineSdkAdapter, wrong).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnitReadError)
    expect(error).toMatchObject({
      reason: 'is not a Cline SDK session (no messages array)',
      retryable: false,
    })
  })

  it('a session without a sessionId is named after its file', async () => {
    const path = writeSession('{"messages":[{"role":"user","content":"hello","ts":1700000000000}]}')
    const { conversation } = await readOnly(clineSdkAdapter, path)
    expect(conversation).toMatchObject({ id: 'cline:sdk:x', title: 'hello', createdAt: 1700000000000 })
  })
})
