/**
 * Entry point of `npm run bench`: runs one scenario or all, writes bench/results/<scenario>.json and prints the
 * tables on stdout. Progress goes to stderr, so `npm run bench > report.txt` keeps only the report.
 */
import { parseBenchArgs } from './cli-args'
import { buildVocabularies } from './corpus/vocabulary'
import { machineInfo } from './lib/machine'
import { writeResult } from './lib/results'
import { formatTable } from './lib/table'
import { SCENARIOS } from './scenarios'
import { SIZES, type Scenario, type ScenarioContext } from './scenarios/scenario'
import type { BenchArgs } from './cli-args'

const log = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

async function runScenario(scenario: Scenario, args: BenchArgs): Promise<void> {
  const size = args.size ?? scenario.defaultSize
  const context: ScenarioContext = {
    size,
    conversations: SIZES[size],
    seed: args.seed,
    keep: args.keep,
    cpuProfileDir: args.cpuProfileDir,
    vocab: buildVocabularies(),
    log,
  }
  const started = performance.now()
  const output = await scenario.run(context)
  const durationSeconds = Math.round((performance.now() - started) / 100) / 10
  const machine = machineInfo(output.sqliteVersion, new Date())
  const file = writeResult({
    scenario: scenario.name,
    machine,
    size,
    seed: args.seed,
    durationSeconds,
    figures: output.figures,
    tables: output.tables,
  })
  const header = [
    `# bench ${scenario.name}: size ${size} (${SIZES[size].toLocaleString('en-US')} conversations), seed ${args.seed}`,
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}, SQLite ${machine.sqlite}, ${machine.date}`,
    `took ${durationSeconds} s; figures in ${file}`,
  ]
  process.stdout.write(
    `${[...header, '', ...output.tables.map(formatTable).flatMap((t) => [t, ''])].join('\n')}\n`,
  )
}

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2), SCENARIOS)
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n`)
    return 2
  }
  for (const scenario of args.scenarios) await runScenario(scenario, args)
  return 0
}

process.exitCode = await main()
