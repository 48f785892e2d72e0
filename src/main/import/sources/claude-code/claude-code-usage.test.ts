/**
 * Per-response usage on the real Claude Code samples (../shared/samples/claude-code), and on files made from their
 * lines with one field changed (said in each test). Every figure was read off the sample lines by hand; the line
 * numbers are the files' own (1-based), and a message's ordinal is its line's number less the bookkeeping lines
 * before it.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { samplesDir } from '../../test-support/samples'
import { responsesOf, summed, totalsOf as totals } from '../test-usage'
import { claudeCodeAdapter as adapter } from './index'
import { jsonl, readFile, tempProject, type TempProject } from './test-session'

const root = samplesDir('claude-code', 'projects')
const S71 = '-Users-dain-workspace-claude-code-log-sample/71c9afe9-d9cc-4583-86b3-e62ba682b83a.jsonl'
const S03 = '-experiments-ideas/03eb5929-52b3-4b13-ada3-b93ae35806b8.jsonl'
const S5E = '-Users-dain-workspace-danieldemmel-me-next/5ed31c36-bca8-40fd-8d24-f1a1f0af7901.jsonl'

type Line = Record<string, unknown> & {
  message: Record<string, unknown> & { usage: Record<string, unknown> }
}
/** The sample's lines 1-based: lines(f)[5] is line 5. */
const lines = (relative: string): Line[] => [
  undefined as unknown as Line,
  ...readFileSync(join(root, relative), 'utf8')
    .split('\n')
    .filter((text) => text.trim())
    .map((text) => JSON.parse(text) as Line),
]
const copy = (line: Line | undefined): Line => structuredClone(line) as Line

let project: TempProject
beforeEach(() => {
  project = tempProject()
})
afterEach(() => project.remove())

async function importLines(name: string, sessionLines: readonly Line[], edit = (text: string) => text) {
  const [c] = await readFile(adapter, project.write(name, edit(jsonl(sessionLines))))
  if (!c) throw new Error('no conversation')
  return c
}
const sample = async (relative: string) => {
  const [c] = await readFile(adapter, join(root, relative))
  if (!c) throw new Error('no conversation')
  return c
}

describe('claude code usage per API response', () => {
  it('71c9afe9: every line of a streamed response carries its snapshot; the final output count wins, once', async () => {
    const c = await sample(S71)
    const key1 = 'msg_011uPCBFTvq1a89rvwRRgj1G:req_011CRHHKwYP5xmNxA7FkRrRY'
    // Line 5 (message #4): in 3, cache writes 17988, reads 0, output 1 (first snapshot); line 6 (#5): output 155.
    expect(c.messages[4]?.usage).toEqual({
      responseKey: key1,
      model: 'claude-opus-4-20250514',
      tokensIn: 3,
      tokensOut: 1,
      cacheWrites: 17988,
      cacheWrites1h: 0,
      cacheReads: 0,
      loggedCost: null,
    })
    expect(c.messages[5]?.usage).toMatchObject({ responseKey: key1, tokensOut: 155 })
    // User, tool and system lines carry no usage.
    expect(c.messages.filter((m) => m.usage).map((m) => m.ordinal)).toEqual([4, 5, 7, 8, 12])
    const responses = responsesOf(c.messages)
    expect([...responses.values()].map((r) => [r.messageId, r.tokensOut])).toEqual([
      [`${c.conversation.id}#5`, 155], // lines 5-6: output 1 then 155
      [`${c.conversation.id}#8`, 320], // lines 8-9: output 1 then 320
      [`${c.conversation.id}#12`, 168], // line 13
    ])
    // in 3+6+5 = 14; out 155+320+168 = 643; writes 17988+737+1024 = 19749; reads 0+17988+18725 = 36713.
    expect(summed(responses)).toEqual([14, 643, 19749, 36713])
    expect(totals(c)).toEqual([14, 643, 19749, 36713])
  })

  it('a streamed response written as first, middle and final snapshots is counted once with the final output', async () => {
    // 03eb5929 lines 4-7 are one response (msg_01UHi2Lt…, req_011CYCFGaJ…): in 3, writes 5376 (all 1h),
    // reads 21440, output 12 on every line. Bad input for a first-snapshot counter: outputs rewritten 1, 5, 9, 12.
    const streamed = lines(S03)
      .slice(4, 8)
      .map((line, i) => {
        const l = copy(line)
        l.message.usage.output_tokens = [1, 5, 9, 12][i]
        return l
      })
    const c = await importLines('03eb5929-52b3-4b13-ada3-b93ae35806b8.jsonl', streamed)
    expect(c.messages.map((m) => m.usage?.tokensOut)).toEqual([1, 5, 9, 12])
    const responses = responsesOf(c.messages)
    expect([...responses.keys()]).toEqual(['msg_01UHi2Lt3JY6hKT2YohPo25U:req_011CYCFGaJeJwUa1Y2S4C9WU'])
    // Four lines, counted once: input 3 (not 12), writes 5376 (not 21504), output 12 (the last line's, not 1 or 27).
    expect(summed(responses)).toEqual([3, 12, 5376, 21440])
    expect(totals(c)).toEqual([3, 12, 5376, 21440])
    expect(responses.values().next().value).toMatchObject({
      cacheWrites1h: 5376,
      messageId: `${c.conversation.id}#3`,
    })
  })

  it('a response without requestId is keyed by message.id alone (71c9afe9 with every requestId removed)', async () => {
    const withoutRequest = lines(S71)
      .slice(1)
      .map((line) => {
        const l = copy(line)
        delete l.requestId
        return l
      })
    const c = await importLines('71c9afe9-d9cc-4583-86b3-e62ba682b83a.jsonl', withoutRequest)
    const responses = responsesOf(c.messages)
    expect([...responses.keys()]).toEqual([
      'msg_011uPCBFTvq1a89rvwRRgj1G',
      'msg_018GizkzTGoKbpsENMNFxNsm',
      'msg_01VaBAtrtH7reXeG9PqJ59rU',
    ])
    // The same three responses as with requestIds: 14 in, 643 out, 19749 writes, 36713 reads.
    expect(summed(responses)).toEqual([14, 643, 19749, 36713])
    expect(totals(c)).toEqual([14, 643, 19749, 36713])
  })

  it('the same message.id under two requestIds is two responses, each counted (a retried request)', async () => {
    // 71c9afe9 lines 5-6 (in 3, writes 17988, output 1 then 155), then the same two lines again under another
    // requestId (and new uuids): billed twice, so 6 in, 310 out, 35976 writes, 0 reads.
    const [l5, l6] = [lines(S71)[5], lines(S71)[6]]
    const retried = [l5, l6].map((line, i) => ({ ...copy(line), requestId: 'req_retry', uuid: `retry-${i}` }))
    const c = await importLines('71c9afe9-d9cc-4583-86b3-e62ba682b83a.jsonl', [
      copy(l5),
      copy(l6),
      ...retried,
    ])
    const responses = responsesOf(c.messages)
    expect([...responses.keys()]).toEqual([
      'msg_011uPCBFTvq1a89rvwRRgj1G:req_011CRHHKwYP5xmNxA7FkRrRY',
      'msg_011uPCBFTvq1a89rvwRRgj1G:req_retry',
    ])
    expect(summed(responses)).toEqual([6, 310, 35976, 0])
    expect(totals(c)).toEqual([6, 310, 35976, 0])
  })

  it('a line without message.id is a response of its own, keyed by its message id', async () => {
    // 71c9afe9 line 13 (in 5, writes 1024, reads 18725, output 168) twice, message.id removed: two responses.
    const noId = [0, 1].map((i) => {
      const l = copy(lines(S71)[13])
      delete l.message.id
      return { ...l, uuid: `no-id-${i}` }
    })
    const c = await importLines('71c9afe9-d9cc-4583-86b3-e62ba682b83a.jsonl', noId)
    const responses = responsesOf(c.messages)
    expect([...responses.keys()]).toEqual([`${c.conversation.id}#0`, `${c.conversation.id}#1`])
    expect(summed(responses)).toEqual([10, 336, 2048, 37450])
    expect(totals(c)).toEqual([10, 336, 2048, 37450])
  })

  it('splits one-hour cache writes from five-minute ones (03eb5929: all 1h; 5ed31c36: all 5m)', async () => {
    const c03 = await sample(S03)
    const r03 = [...responsesOf(c03.messages).values()]
    // Nine responses; cache_creation.ephemeral_1h_input_tokens on lines 4, 10, 14, 19, 26, 33, 39, 46, 53:
    // 5376 + 298 + 224 + 92 + 75 + 75 + 2750 + 71 + 75 = 9036, equal to cache_creation_input_tokens.
    expect(r03.map((r) => r.cacheWrites1h)).toEqual([5376, 298, 224, 92, 75, 75, 2750, 71, 75])
    expect(r03.every((r) => r.cacheWrites === r.cacheWrites1h && r.model === 'claude-opus-4-6')).toBe(true)
    expect(totals(c03)).toEqual([23, 88, 9036, 239606])
    expect(summed(responsesOf(c03.messages))).toEqual(totals(c03))
    // 5ed31c36: lines 2-5, 9-10 and 12 are three responses, all 5-minute writes: 3888 + 237 + 205 = 4330.
    const r5e = [...responsesOf((await sample(S5E)).messages).values()]
    expect(r5e.map((r) => [r.cacheWrites, r.cacheWrites1h])).toEqual([
      [3888, 0],
      [237, 0],
      [205, 0],
    ])
  })

  it('a line that gives only the split cache writes counts their sum', async () => {
    // 03eb5929 line 10 (writes 298, all 1h) with cache_creation_input_tokens removed and a 5m part of 100 added.
    const l = copy(lines(S03)[10])
    delete l.message.usage.cache_creation_input_tokens
    l.message.usage.cache_creation = { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 298 }
    const c = await importLines('03eb5929-52b3-4b13-ada3-b93ae35806b8.jsonl', [l])
    expect(c.messages[0]?.usage).toMatchObject({ cacheWrites: 398, cacheWrites1h: 298 })
    expect(c.conversation.cacheWrites).toBe(398)
  })

  it('a synthetic message (model "<synthetic>") reports no usage and no model', async () => {
    // None of the samples has one; 71c9afe9 line 13 with its model made "<synthetic>", after line 5 (a real one).
    const synthetic = copy(lines(S71)[13])
    synthetic.message.model = '<synthetic>'
    const c = await importLines('71c9afe9-d9cc-4583-86b3-e62ba682b83a.jsonl', [
      copy(lines(S71)[5]),
      synthetic,
    ])
    expect(c.messages[1]?.usage).toBeUndefined()
    expect(totals(c)).toEqual([3, 1, 17988, 0]) // line 5 alone
    expect(c.conversation.model).toBe('claude-opus-4-20250514')
  })

  it('bad input: counts that are strings, negative, infinite or not numbers are 0, and nothing throws', async () => {
    // 71c9afe9 line 13 with every count spoiled; 1e999 is written into the text, where it parses to Infinity
    // (JSON has no NaN literal, and JSON.stringify would write Infinity as null).
    const bad = copy(lines(S71)[13])
    bad.message.usage = {
      input_tokens: '5',
      output_tokens: -168,
      cache_creation_input_tokens: 314159265,
      cache_read_input_tokens: null,
      cache_creation: { ephemeral_5m_input_tokens: 'x', ephemeral_1h_input_tokens: 50 },
    }
    const notAnObject = { ...copy(lines(S71)[5]), uuid: 'u-string' }
    notAnObject.message.usage = 'many' as unknown as Line['message']['usage']
    const c = await importLines('71c9afe9-d9cc-4583-86b3-e62ba682b83a.jsonl', [bad, notAnObject], (text) =>
      text.replace('314159265', '1e999'),
    )
    expect(c.messages[0]?.usage).toMatchObject({
      tokensIn: 0,
      tokensOut: 0,
      cacheWrites: 0,
      cacheWrites1h: 0, // never more than the cache writes it is a part of
      cacheReads: 0,
    })
    expect(c.messages[1]?.usage).toBeUndefined()
    expect(totals(c)).toEqual([0, 0, 0, 0])
  })
})
