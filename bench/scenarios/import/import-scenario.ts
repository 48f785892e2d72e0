/**
 * Scenario `import`: a generated history written in the assistants' own formats (half Roo Code task folders, half
 * Claude Code sessions; `medium` is 3,000 of them, about 300,000 messages), imported by the real engine and
 * adapters in a child process: throughput in messages/s and MB/s, peak RSS, a no-op re-import of the same files,
 * and a re-import after one line was appended to 200 sessions (each read on from its checkpoint).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateConversation } from '../../corpus/conversation'
import { createTempDir } from '../../lib/temp-dir'
import type { ImportSummary } from '../../../src/main/import/import-summary'
import type { Scenario, ScenarioContext, ScenarioOutput } from '../scenario'
import { appendToSessions, writeClaudeSession, writeRooTask } from './write-source-files'

/** Sessions that get one more line before the third import: what live watching does all day. */
const APPENDED_SESSIONS = 200

const CHILD = fileURLToPath(new URL('./import-child.ts', import.meta.url))

interface ChildResult {
  readonly ms: number
  readonly peakRssMiB: number
  readonly summary: ImportSummary
}

function runChild(dataDir: string, roo: string, claude: string): ChildResult {
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, dataDir, roo, claude], {
    encoding: 'utf8',
  })
  if (child.status !== 0) throw new Error(`import child failed: ${child.stderr}`)
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as ChildResult
}

/** A row for an import over files that were imported before: what it wrote, not a throughput. */
const rerunRow = (run: string, sources: number, result: ChildResult) => [
  run,
  sources,
  result.summary.messages.added + result.summary.messages.updated,
  result.summary.problems.length,
  result.ms / 1000,
  null,
  null,
  Math.round(result.peakRssMiB),
]

async function run(context: ScenarioContext): Promise<ScenarioOutput> {
  const dir = createTempDir('import', context.keep)
  try {
    const roo = join(dir.path, 'roo', 'tasks')
    const claude = join(dir.path, 'claude', 'projects')
    mkdirSync(roo, { recursive: true })
    mkdirSync(claude, { recursive: true })
    let bytes = 0
    let messages = 0
    for (let i = 0; i < context.conversations; i++) {
      const generated = generateConversation(context.seed, i, context.vocab)
      bytes += i % 2 === 0 ? writeRooTask(roo, generated) : writeClaudeSession(claude, generated)
      messages += generated.messages.length
    }
    context.log(
      `import: wrote ${context.conversations} sources, ${messages} messages, ${(bytes / 2 ** 20).toFixed(0)} MiB`,
    )
    const dataDir = join(dir.path, 'data')
    const first = runChild(dataDir, roo, claude)
    context.log(`import: first import ${(first.ms / 1000).toFixed(1)} s; re-importing`)
    const again = runChild(dataDir, roo, claude)
    const appendedTo = appendToSessions(claude, APPENDED_SESSIONS)
    const appended = runChild(dataDir, roo, claude)
    const imported = first.summary.messages.added
    const figures = {
      sources: context.conversations,
      messages,
      fileMiB: bytes / 2 ** 20,
      first: {
        seconds: first.ms / 1000,
        messagesPerSecond: (imported / first.ms) * 1000,
        miBPerSecond: (bytes / 2 ** 20 / first.ms) * 1000,
        peakRssMiB: first.peakRssMiB,
        summary: first.summary,
      },
      noop: { seconds: again.ms / 1000, peakRssMiB: again.peakRssMiB, summary: again.summary },
      append: { sessions: appendedTo, seconds: appended.ms / 1000, summary: appended.summary },
    }
    return {
      sqliteVersion: 'see the search scenario',
      figures,
      tables: [
        {
          title: 'Import (real engine and adapters, child process)',
          headers: [
            'run',
            'sources',
            'messages written',
            'problems',
            'seconds',
            'msgs/s',
            'MiB/s',
            'peak RSS MiB',
          ],
          rows: [
            [
              'first',
              context.conversations,
              imported,
              first.summary.problems.length,
              figures.first.seconds,
              Math.round(figures.first.messagesPerSecond),
              figures.first.miBPerSecond,
              Math.round(first.peakRssMiB),
            ],
            rerunRow('no-op re-import', context.conversations, again),
            rerunRow(`1 line appended to ${appendedTo} sessions`, context.conversations, appended),
          ],
          note: `${messages.toLocaleString('en-US')} messages in ${(bytes / 2 ** 20).toFixed(0)} MiB of source files`,
        },
      ],
    }
  } finally {
    context.log(`import: ${dir.dispose()}`)
  }
}

export const importScenario: Scenario = {
  name: 'import',
  summary: 'import throughput, peak RSS and no-op re-import over generated Roo Code and Claude Code files',
  defaultSize: 'medium',
  run,
}
