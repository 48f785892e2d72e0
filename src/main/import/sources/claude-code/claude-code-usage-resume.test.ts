/**
 * Usage when a session is read in pieces (checkpoints): a response whose lines fall on both sides of a read's end
 * is still one response, and the conversation totals of the last read are those of one read of the whole file.
 * The sample is 03eb5929 (../shared/samples/claude-code): its lines 4-7 are one response, msg_01UHi2Lt… with
 * requestId req_011CYCFGaJ…: input 3, cache writes 5376 (all one-hour), cache reads 21440, output 12.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MessageInput } from '../../../repository/writes'
import { conversationsOf } from '../../source-adapter'
import { samplesDir } from '../../test-support/samples'
import { responsesOf, summed, totalsOf } from '../test-usage'
import { makeClaudeCodeAdapter } from './index'
import { tempProject, type TempProject } from './test-session'

const NAME = '03eb5929-52b3-4b13-ada3-b93ae35806b8.jsonl'
const FULL = readFileSync(join(samplesDir('claude-code', 'projects'), '-experiments-ideas', NAME))
/** Offsets just past each newline: ends[n - 1] is the end of line n. */
const ends = [...FULL.entries()].filter(([, byte]) => byte === 0x0a).map(([i]) => i + 1)
/** The file's nine responses (lines 4-7, 10, 14, 19-21, 26-28, 33, 39-41, 46-48, 53-55). */
const WHOLE = [23, 88, 9036, 239606]

let project: TempProject
beforeEach(() => {
  project = tempProject()
})
afterEach(() => project.remove())

/** Reads the file cut at each offset in turn, each read going on from the previous one's checkpoint. */
async function readGrowing(cuts: readonly number[]) {
  const path = project.write(NAME, '')
  const adapter = makeClaudeCodeAdapter()
  const unit = { key: path, source: 'claude-code' as const, files: [path] }
  const messages: MessageInput[] = []
  let checkpoint: string | null = null
  let last = null
  for (const cut of cuts) {
    writeFileSync(path, FULL.subarray(0, cut))
    const read = await adapter.readUnitFrom!(unit, checkpoint)
    checkpoint = read.checkpoint
    for (const c of conversationsOf(read)) {
      messages.push(...c.messages)
      last = c
    }
  }
  if (!last) throw new Error('no conversation')
  return { messages, last, checkpoint, adapter, unit }
}

describe('claude code usage across resumed reads', () => {
  it('a response cut between two reads (after line 5, in the middle of line 6) is counted once', async () => {
    const { messages, last } = await readGrowing([ends[4]!, ends[5]! - 20, FULL.length])
    const responses = responsesOf(messages)
    const first = responses.get('msg_01UHi2Lt3JY6hKT2YohPo25U:req_011CYCFGaJeJwUa1Y2S4C9WU')
    expect(first).toMatchObject({ tokensIn: 3, tokensOut: 12, cacheWrites: 5376, cacheWrites1h: 5376 })
    // Lines 4-5 came in the first read, 6-7 in the last: the message carrying the figures is line 7's (#4:
    // lines 1-2 are bookkeeping, line 3 is #0).
    expect(first?.messageId).toBe(`${last.conversation.id}#4`)
    expect(responses.size).toBe(9)
    expect(summed(responses)).toEqual(WHOLE)
    expect(totalsOf(last)).toEqual(WHOLE)
  })

  it('a checkpoint that counted usage by message.id alone (format 1) makes the next read start over', async () => {
    const { checkpoint, adapter, unit } = await readGrowing([ends[5]!])
    writeFileSync(unit.key, FULL)
    // Bad input from an older version: the checkpoint as format 1 wrote it, its responses keyed by message.id
    // alone. Going on from it would count lines 4-5 under the old key and lines 6-7 under the new one: twice.
    const old = checkpoint!
      .replace('"format":2', '"format":1')
      .replaceAll(':req_011CYCFGaJeJwUa1Y2S4C9WU"', '"')
    expect(old).toContain('"msg_01UHi2Lt3JY6hKT2YohPo25U",{')
    const [c] = conversationsOf(await adapter.readUnitFrom!(unit, old))
    expect(c?.firstOrdinal).toBe(0)
    expect(totalsOf(c!)).toEqual(WHOLE)
    expect(summed(responsesOf(c!.messages))).toEqual(WHOLE)
  })
})
