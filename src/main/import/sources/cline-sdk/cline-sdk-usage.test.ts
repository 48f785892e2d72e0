/**
 * Usage in Cline SDK sessions: the terminal assistant message of each turn carries `metrics` (the turn's requests
 * summed, per the SDK's messages contract v1) and `modelInfo`. The fixture is ../shared/samples/cline-sdk.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { samplesDir } from '../../test-support/samples'
import { readOnly } from '../roo-cline/test-folders'
import { responsesOf, summed, totalsOf } from '../test-usage'
import { clineSdkAdapter } from './index'

const scratch = useScratch()
const FIXTURE = () => join(samplesDir('cline-sdk', 'sessions', 'fixture-success-01'), 'success.messages.json')
type Session = { messages: Record<string, unknown>[] } & Record<string, unknown>
const fixture = () => JSON.parse(readFileSync(FIXTURE(), 'utf8')) as Session

const writeSession = (session: Session) => {
  const path = join(scratch.dir(), 'x.messages.json')
  writeFileSync(path, JSON.stringify(session))
  return path
}

describe('Cline SDK usage', () => {
  it('the fixture: msg_assistant_2 carries the turn’s metrics, msg_assistant_1 (same turn) none', async () => {
    const c = await readOnly(clineSdkAdapter, FIXTURE())
    // msg_assistant_2: metrics {inputTokens 21, outputTokens 8, cacheReadTokens 3, cacheWriteTokens 1, cost 0.13},
    // modelInfo.id claude-sonnet-4-6.
    expect(c.messages[3]?.usage).toEqual({
      responseKey: 'msg_assistant_2',
      model: 'claude-sonnet-4-6',
      tokensIn: 21,
      tokensOut: 8,
      cacheWrites: 1,
      cacheWrites1h: 0,
      cacheReads: 3,
      loggedCost: 0.13,
    })
    expect(c.messages.filter((m) => m.usage)).toHaveLength(1)
    expect(summed(responsesOf(c.messages))).toEqual([21, 8, 1, 3])
    expect(totalsOf(c)).toEqual([21, 8, 1, 3])
  })

  it('two turns are two responses; a message without an id is named by its own message id', async () => {
    // The fixture's four messages, then its last two again as a second turn: once with ids changed and
    // metrics {inputTokens 40, outputTokens 2, cost 0.01}, once more without an id (metrics as the fixture's).
    const session = fixture()
    const [, , user2, answer] = session.messages
    const second = {
      ...answer,
      id: 'msg_assistant_3',
      metrics: { inputTokens: 40, outputTokens: 2, cost: 0.01 },
    }
    const { id: _dropped, ...third } = { ...answer }
    session.messages.push({ ...user2, id: 'msg_user_3' }, second, { ...user2, id: 'msg_user_4' }, third)
    const c = await readOnly(clineSdkAdapter, writeSession(session))
    const responses = responsesOf(c.messages)
    expect([...responses.keys()]).toEqual([
      'msg_assistant_2',
      'msg_assistant_3',
      'cline:sdk:fixture-success-01#7',
    ])
    // in 21 + 40 + 21 = 82; out 8 + 2 + 8 = 18; writes 1 + 0 + 1 = 2; reads 3 + 0 + 3 = 6.
    expect(summed(responses)).toEqual([82, 18, 2, 6])
    expect(totalsOf(c)).toEqual([82, 18, 2, 6])
    expect(c.conversation.cost).toBeCloseTo(0.27, 10)
  })

  it('bad input: metrics with strings, negative and infinite numbers count 0; a cost that is not one is null', async () => {
    const session = fixture()
    session.messages[3] = {
      ...session.messages[3],
      metrics: {
        inputTokens: '21',
        outputTokens: -8,
        cacheReadTokens: 314159265,
        cacheWriteTokens: null,
        cost: 'x',
      },
    }
    // 314159265 becomes 1e999 in the file, which parses to Infinity.
    const path = writeSession(session)
    writeFileSync(path, readFileSync(path, 'utf8').replace('314159265', '1e999'))
    const c = await readOnly(clineSdkAdapter, path)
    expect(c.messages[3]?.usage).toMatchObject({
      tokensIn: 0,
      tokensOut: 0,
      cacheWrites: 0,
      cacheReads: 0,
      loggedCost: null,
    })
    expect(totalsOf(c)).toEqual([0, 0, 0, 0])
  })
})
