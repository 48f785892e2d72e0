/**
 * The real samples imported into a real repository: one usage row per API response, and every conversation's
 * token columns the sums of its rows. Figures by hand from the sample files (see claude-code-usage.test.ts and
 * roo-cline/request-usage.test.ts for the lines and rows they come from).
 */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../repository/test-support/scratch'
import { importSources } from '../import-engine'
import { samplesDir } from '../test-support/samples'
import { claudeCodeAdapter } from './claude-code'
import { clineSdkAdapter } from './cline-sdk'
import { rooCodeAdapter } from './roo-cline'

const scratch = useScratch()

describe('usage of the samples, imported', () => {
  it('writes one row per response and conversation totals equal to the sums of their rows', async () => {
    const repo = scratch.open()
    await importSources(repo, [
      { path: samplesDir('claude-code', 'projects'), adapter: claudeCodeAdapter },
      { path: samplesDir('roo-code'), adapter: rooCodeAdapter },
      { path: samplesDir('cline-sdk'), adapter: clineSdkAdapter },
    ])
    const rows = await repo.db
      .selectFrom('usage')
      .select(['conversation_id', 'message_id', 'model', 'tokens_in', 'tokens_out', 'cache_writes'])
      .select(['cache_writes_1h', 'cache_reads', 'logged_cost', 'cost'])
      .orderBy(['conversation_id', 'response_key'])
      .execute()
    const perConversation = new Map<string, number[]>()
    for (const r of rows) {
      const sum = perConversation.get(r.conversation_id) ?? [0, 0, 0, 0, 0]
      const figures = [r.tokens_in, r.tokens_out, r.cache_writes, r.cache_reads, 1]
      perConversation.set(
        r.conversation_id,
        sum.map((n, i) => n + (figures[i] ?? 0)),
      )
    }
    const conversations = await repo.db
      .selectFrom('conversations')
      .select(['id', 'tokens_in', 'tokens_out', 'cache_writes', 'cache_reads', 'cost'])
      .orderBy('id')
      .execute()
    // Responses: 71c9afe9 3, 5ed31c36 3, its sub-agent 1, 03eb5929 9, 94604a7b 1; the Roo task 30; the SDK 1.
    expect(Object.fromEntries([...perConversation].map(([id, sums]) => [id, sums[4]]))).toEqual({
      'claude-code:03eb5929-52b3-4b13-ada3-b93ae35806b8': 9,
      'claude-code:5ed31c36-bca8-40fd-8d24-f1a1f0af7901': 3,
      'claude-code:5ed31c36-bca8-40fd-8d24-f1a1f0af7901/agent-c3d572ee': 1,
      'claude-code:71c9afe9-d9cc-4583-86b3-e62ba682b83a': 3,
      'claude-code:94604a7b-062f-4369-bdf0-da948381c3e5': 1,
      'cline:sdk:fixture-success-01': 1,
      'roo:bc93a6f7-cd2e-4686-a832-46e3cd14d338': 30,
    })
    for (const c of conversations) {
      const sums = perConversation.get(c.id) ?? [0, 0, 0, 0]
      expect([c.tokens_in, c.tokens_out, c.cache_writes, c.cache_reads], c.id).toEqual(sums.slice(0, 4))
    }
    // 71c9afe9: outputs 155, 320, 168, each on the last line of its response (messages #5, #8, #12).
    const s71 = rows.filter((r) => r.conversation_id.startsWith('claude-code:71c9afe9'))
    expect(s71.map((r) => [r.message_id.split('#')[1], r.tokens_out])).toEqual([
      ['5', 155],
      ['8', 320],
      ['12', 168],
    ])
    // 03eb5929: every cache write a one-hour one, 9036 in all.
    const s03 = rows.filter((r) => r.conversation_id.startsWith('claude-code:03eb5929'))
    expect(s03.reduce((n, r) => n + r.cache_writes_1h, 0)).toBe(9036)
    // The Roo task's cost is its 30 logged costs: 2.90000775; the SDK session's its one, 0.13.
    const cost = (id: string) => conversations.find((c) => c.id === id)?.cost
    expect(cost('roo:bc93a6f7-cd2e-4686-a832-46e3cd14d338')).toBeCloseTo(2.90000775, 9)
    expect(cost('cline:sdk:fixture-success-01')).toBeCloseTo(0.13, 10)
  })

  it('prices Claude Code responses with the bundled table, and counts a first import as additions only', async () => {
    const repo = scratch.open()
    const summary = await importSources(repo, [
      { path: samplesDir('claude-code', 'projects'), adapter: claudeCodeAdapter },
    ])
    // Each conversation is written, then its cost is summed from its responses: one addition, not an update.
    expect(summary.conversations).toMatchObject({ added: 6, updated: 0 })
    const costs = Object.fromEntries(
      (await repo.db.selectFrom('conversations').select(['id', 'cost', 'unpriced']).execute()).map((c) => [
        c.id.slice('claude-code:'.length, 'claude-code:'.length + 8) +
          (c.id.includes('/agent') ? '/agent' : ''),
        [c.cost, c.unpriced],
      ]),
    )
    // Bundled LiteLLM prices (resources/pricing, taken 2026-12-03), per million tokens:
    // claude-opus-4-5-20251101: in $5, out $25, 5-minute write $6.25, read $0.50. 94604a7b's one response:
    //   2 in, 1 out, 6,198 five-minute writes, 13,794 reads: 10 + 25 + 38,737.5 + 6,897 = $0.0456695.
    expect(costs['94604a7b']?.[0]).toBeCloseTo(0.0456695, 10)
    // claude-sonnet-4-5-20250929: in $3, out $15, 5-minute write $3.75, read $0.30. 5ed31c36's three responses:
    //   3/1/3,888/12,243: 9 + 15 + 14,580 + 3,672.9 = 18,276.9; 34/1/237/16,131: 102 + 15 + 888.75 + 4,839.3 =
    //   5,845.05; 6/1/205/16,368: 18 + 15 + 768.75 + 4,910.4 = 5,712.15; in all $0.0298341.
    expect(costs['5ed31c36']?.[0]).toBeCloseTo(0.0298341, 10)
    // Its sub-agent: 3 in, 62 out, 1,374 reads: 9 + 930 + 412.2 = $0.0013512.
    expect(costs['5ed31c36/agent']?.[0]).toBeCloseTo(0.0013512, 10)
    expect(Object.values(costs).every(([, unpriced]) => unpriced === 0)).toBe(true)
  })
})
