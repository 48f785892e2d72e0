/**
 * `chronicle usage` run as a user runs it: the real binary in a child process, in a chosen time zone and locale,
 * on a library written through the real writer. Bad inputs: dates in the wrong form or order, a response with no
 * price, a reader that goes away.
 */
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { writeResponses } from '../usage/usage-test-data'

const scratch = useScratch()

function chronicle(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['bin/chronicle.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, CHRONICLE_DATA_DIR: '', NO_COLOR: '1', TZ: 'UTC', LC_ALL: 'en_US.UTF-8', ...env },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

async function library() {
  const dataDir = scratch.dir()
  const repo = scratch.open({ dataDir })
  await writeResponses(
    repo,
    [
      { id: 'cc', source: 'claude-code', title: 'Fix the pool' },
      { id: 'roo', source: 'roo', workspace: '/w/web' },
    ],
    [
      {
        conversation: 'cc',
        at: Date.UTC(2025, 2, 10, 20, 0),
        tokensIn: 1200,
        tokensOut: 300,
        cacheReads: 50_000,
        cost: 1.5,
      },
      // 20:00 UTC on the 11th is the 12th in India (+05:30).
      {
        conversation: 'cc',
        at: Date.UTC(2025, 2, 11, 20, 0),
        tokensIn: 10,
        tokensOut: 5,
        cost: 0.25,
        model: 'claude-opus-4-1',
      },
      {
        conversation: 'roo',
        at: Date.UTC(2025, 2, 11, 9, 0),
        tokensIn: 7,
        tokensOut: 3,
        cost: null,
        model: 'no-such-model',
      },
    ],
  )
  await repo.close()
  return dataDir
}

describe('chronicle usage', () => {
  it('prints a table per local day with models, the four token kinds, totals, and unpriced never as $0', async () => {
    const dataDir = await library()
    const { code, stdout } = chronicle(['usage', '--data-dir', dataDir])
    expect(code).toBe(0)
    const lines = stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(
      /^Date +Models +Input +Output +Cache Create +Cache Read +Total Tokens +Cost \(USD\)$/,
    )
    expect(lines[2]).toMatch(/^2025-03-10 +claude-sonnet-4-5 +1,200 +300 +0 +50,000 +51,500 +\$1\.50$/)
    expect(lines[3]).toMatch(
      /^2025-03-11 +claude-opus-4-1, no-such-model +17 +8 +0 +0 +25 +\$0\.25 \+ 1 unpriced$/,
    )
    expect(lines[4]).toMatch(/^Total +1,217 +308 +0 +50,000 +51,525 +\$1\.75 \+ 1 unpriced$/)
    // A row of unpriced responses only says so.
    const roo = chronicle(['usage', 'daily', '--by', 'source', '--data-dir', dataDir])
    expect(roo.stdout).toMatch(/2025-03-11 +roo +7 +3 +0 +0 +10 +unpriced\n/)
  })

  it("formats numbers in the user's locale and cuts days at the local offset (+05:30)", async () => {
    const dataDir = await library()
    const { stdout } = chronicle(['usage', '--data-dir', dataDir], {
      TZ: 'Asia/Kolkata',
      LC_ALL: 'de_DE.UTF-8',
    })
    // 20:00 UTC on the 10th is 01:30 on the 11th in India: it joins the 11th's Roo response.
    expect(stdout).toMatch(/^2025-03-11 .* 1\.207 +303 +0 +50\.000 +51\.510 +1,50\s\$ \+ 1 unpriced$/m)
    expect(stdout).toMatch(/^2025-03-12 +claude-opus-4-1 /m)
  })

  it('--json prints one document; --since and --until take YYYY-MM-DD or YYYYMMDD and include the last day', async () => {
    const dataDir = await library()
    const { code, stdout } = chronicle([
      'usage',
      'daily',
      '--json',
      '--since',
      '20250311',
      '--until',
      '2025-03-11',
      '--data-dir',
      dataDir,
    ])
    expect(code).toBe(0)
    const document = JSON.parse(stdout) as {
      daily: Record<string, unknown>[]
      totals: Record<string, unknown>
    }
    expect(document.daily).toEqual([
      expect.objectContaining({
        date: '2025-03-11',
        models: ['claude-opus-4-1', 'no-such-model'],
        inputTokens: 17,
        totalCost: 0.25,
        unpricedResponses: 1,
      }),
    ])
    const weekly = JSON.parse(
      chronicle(['usage', 'weekly', '--json', '--by', 'source', '--data-dir', dataDir]).stdout,
    ) as {
      weekly: Record<string, unknown>[]
    }
    // Unpriced alone: the cost is null, not 0.
    expect(weekly.weekly).toEqual([
      expect.objectContaining({ week: '2025-03-10', source: 'claude-code', totalCost: 1.75 }),
      expect.objectContaining({ week: '2025-03-10', source: 'roo', totalCost: null, unpricedResponses: 1 }),
    ])
    const sessions = JSON.parse(chronicle(['usage', 'session', '--json', '--data-dir', dataDir]).stdout) as {
      sessions: Record<string, unknown>[]
    }
    expect(sessions.sessions.map((s) => [s.conversationId, s.title, s.totalCost])).toEqual([
      ['cc', 'Fix the pool', 1.75],
      ['roo', 'Conversation roo', null],
    ])
    const blocks = JSON.parse(chronicle(['usage', 'blocks', '--json', '--data-dir', dataDir]).stdout) as {
      blocks: Record<string, unknown>[]
    }
    expect(blocks.blocks.map((b) => [b.startTime, b.isGap, b.totalCost])).toEqual([
      ['2025-03-10T20:00:00.000Z', false, 1.5],
      ['2025-03-11T01:00:00.000Z', true, 0],
      ['2025-03-11T20:00:00.000Z', false, 0.25],
    ])
  })

  it.each([
    [['--since', '2025-02-30'], '--since must be a day as YYYY-MM-DD or YYYYMMDD, not "2025-02-30"'],
    [['--until', '11/03/2025'], '--until must be a day as YYYY-MM-DD or YYYYMMDD, not "11/03/2025"'],
    [['--since', '2025-03-12', '--until', '2025-03-11'], '--since 2025-03-12 is after --until 2025-03-11'],
    [['hourly'], 'unknown report "hourly"; reports are daily, weekly, monthly, session, blocks'],
    [['--by', 'colour'], '--by must be one of model, source, workspace, device, not "colour"'],
  ])('bad input %j exits 2 with one clear line', (args, message) => {
    const { code, stdout, stderr } = chronicle(['usage', ...args, '--data-dir', scratch.dir()])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe(`chronicle usage: ${message}\n`)
  })

  it('ends quietly with code 0 when its reader has gone', async () => {
    const dataDir = await library()
    const child = spawn(process.execPath, ['bin/chronicle.js', 'usage', '--data-dir', dataDir], {
      env: { ...process.env, CHRONICLE_DATA_DIR: '', NO_COLOR: '1' },
    })
    child.stdout.destroy()
    let said = ''
    child.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()))
    const [code] = (await once(child, 'exit')) as [number | null]
    expect({ code, said }).toEqual({ code: 0, said: '' })
  })
})
