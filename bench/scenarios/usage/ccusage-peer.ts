/**
 * ccusage beside ours on the same Claude Code files (streamed responses, several lines each): ccusage's
 * `daily --json --offline` against our import and daily series, totals and time. ccusage keeps the first line it
 * sees of a response (a Set of message.id:requestId), so it counts the first snapshot's output tokens; we keep the
 * largest count of each kind, the final one. The files' own final figures are the truth both are held to.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { importSources } from '../../../src/main/import/import-engine'
import { claudeCodeAdapter } from '../../../src/main/import/sources/claude-code'
import { openRepository } from '../../../src/main/repository/repository'
import { loadBundledPriceBook } from '../../../src/main/usage/price-book'
import { usageSeries } from '../../../src/main/usage/usage-queries'
import { measure } from '../../lib/timing'
import type { ScenarioContext } from '../scenario'
import { writeStreamedSessions, type SessionTruth } from './streamed-sessions'

/** The first conversations of the corpus whose Claude Code ones are written (about a third are Claude Code). */
export const PEER_CONVERSATIONS = 3_000
const CCUSAGE_RUNS = 3

export interface PeerTotals {
  readonly inputTokens: number
  readonly outputTokens: number
  readonly cacheCreationTokens: number
  readonly cacheReadTokens: number
  readonly totalCost: number
  readonly days: number
}

export interface PeerFigures {
  readonly ccusageVersion: string
  readonly truth: SessionTruth
  readonly ours: PeerTotals & { importSeconds: number; queryMs: number; unpricedResponses: number }
  readonly ccusage: PeerTotals & { medianSeconds: number; runs: number }
  /** How many output tokens ccusage misses, and that as a share of the true output. */
  readonly ccusageOutputMissing: number
  readonly ccusageOutputMissingPercent: number
}

interface CcusageReport {
  readonly daily: readonly unknown[]
  readonly totals: Omit<PeerTotals, 'days'>
}

function ccusageBin(): { bin: string; version: string } {
  const require = createRequire(import.meta.url)
  const manifest = require.resolve('ccusage/package.json')
  const { version, bin } = require(manifest) as { version: string; bin: Record<string, string> }
  return { bin: join(manifest, '..', bin.ccusage ?? 'dist/index.js'), version }
}

export async function compareWithCcusage(context: ScenarioContext, root: string): Promise<PeerFigures> {
  const configDir = join(root, 'claude-config')
  const projects = join(configDir, 'projects')
  mkdirSync(projects, { recursive: true })
  const conversations = Math.min(PEER_CONVERSATIONS, context.conversations)
  const truth = writeStreamedSessions(projects, context.seed, conversations, context.vocab)
  context.log(
    `usage: ${truth.sessions} Claude Code sessions, ${truth.responses} responses in ${truth.lines} lines`,
  )

  const repo = openRepository({ dataDir: join(root, 'peer-ours'), prices: loadBundledPriceBook() })
  try {
    const started = performance.now()
    await importSources(repo, [{ path: projects, adapter: claudeCodeAdapter }])
    const importSeconds = Math.round((performance.now() - started) / 100) / 10
    const query = () => usageSeries(repo.db, { period: 'day', by: null, filter: {}, utcOffsetMinutes: 0 })
    const { summary, last } = await measure({ warmup: 2, runs: 10 }, query)
    const t = last.totals
    const ours = {
      inputTokens: t.tokensIn,
      outputTokens: t.tokensOut,
      cacheCreationTokens: t.cacheWrites,
      cacheReadTokens: t.cacheReads,
      totalCost: Math.round(t.cost * 100) / 100,
      days: last.buckets.length,
      importSeconds,
      queryMs: summary.p50,
      unpricedResponses: t.unpricedResponses,
    }

    const { bin, version } = ccusageBin()
    const seconds: number[] = []
    let report = null as CcusageReport | null
    for (let i = 0; i < CCUSAGE_RUNS; i++) {
      const began = performance.now()
      const result = spawnSync(process.execPath, [bin, 'daily', '--json', '--offline'], {
        encoding: 'utf8',
        maxBuffer: 256 * 2 ** 20,
        env: { ...process.env, CLAUDE_CONFIG_DIR: configDir, TZ: 'UTC' },
      })
      seconds.push((performance.now() - began) / 1000)
      if (result.status !== 0)
        throw new Error(`ccusage failed (${result.status}): ${result.stderr.slice(0, 500)}`)
      report = JSON.parse(result.stdout) as CcusageReport
    }
    if (!report) throw new Error('ccusage printed nothing')
    const median = [...seconds].sort((a, b) => a - b)[Math.floor(seconds.length / 2)] ?? Number.NaN
    const missing = truth.tokensOut - report.totals.outputTokens
    return {
      ccusageVersion: version,
      truth,
      ours,
      ccusage: {
        ...report.totals,
        totalCost: Math.round(report.totals.totalCost * 100) / 100,
        days: report.daily.length,
        medianSeconds: Math.round(median * 100) / 100,
        runs: CCUSAGE_RUNS,
      },
      ccusageOutputMissing: missing,
      ccusageOutputMissingPercent: Math.round((missing / truth.tokensOut) * 1000) / 10,
    }
  } finally {
    await repo.close()
  }
}
