/** `npm run bench [scenario] [--size small|medium|large] [--seed N] [--keep] [--cpu-prof DIR]`, parsed and checked. */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { SIZE_NAMES, type Scenario, type SizeName } from './scenarios/scenario'

export interface BenchArgs {
  readonly scenarios: readonly Scenario[]
  /** Null: each scenario's own default. */
  readonly size: SizeName | null
  readonly seed: number
  readonly keep: boolean
  /** Where to write CPU profiles of the scenario's processes (bench/lib/cpu-profiles.ts); null: none. */
  readonly cpuProfileDir: string | null
}

export const DEFAULT_SEED = 42

const isSize = (value: string): value is SizeName => (SIZE_NAMES as readonly string[]).includes(value)

const readArgs = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      size: { type: 'string' },
      seed: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
    },
  })

/** Returns the arguments, or the one-line message to print before exiting with status 2. */
export function parseBenchArgs(argv: readonly string[], known: readonly Scenario[]): BenchArgs | string {
  let parsed: ReturnType<typeof readArgs>
  try {
    parsed = readArgs(argv)
  } catch (error) {
    return `${error instanceof Error ? error.message : String(error)}; usage: npm run bench [scenario] [--size ${SIZE_NAMES.join('|')}] [--seed N] [--keep] [--cpu-prof DIR]`
  }
  const { values, positionals } = parsed
  const names = known.map((s) => s.name)
  if (positionals.length > 1)
    return `Name at most one scenario (${names.join(', ')}); got ${positionals.join(' ')}.`
  const wanted = positionals[0]
  const scenario = wanted === undefined ? null : known.find((s) => s.name === wanted)
  if (scenario === undefined) return `Unknown scenario "${wanted}"; valid scenarios: ${names.join(', ')}.`
  if (values.size !== undefined && !isSize(values.size)) {
    return `Unknown size "${values.size}"; valid sizes: ${SIZE_NAMES.join(', ')}.`
  }
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed)
  if (!Number.isSafeInteger(seed) || seed < 0)
    return `--seed must be a non-negative integer; got "${values.seed}".`
  return {
    scenarios: scenario ? [scenario] : known,
    size: values.size ?? null,
    seed,
    keep: values.keep ?? false,
    cpuProfileDir: values['cpu-prof'] === undefined ? null : resolve(values['cpu-prof']),
  }
}
