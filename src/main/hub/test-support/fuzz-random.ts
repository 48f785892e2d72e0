/**
 * The seeded randomness of fuzz tests: a failure names its seed, and `CHRONICLE_FUZZ_SEED=<seed>` replays the same
 * inputs (mulberry32: small, fast, and the same sequence on every platform).
 */
export type Rng = () => number

export function seededRng(seed: number): Rng {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** The seed to replay from the environment, or a new one. */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.CHRONICLE_FUZZ_SEED
  if (given !== undefined && given !== '') {
    const seed = Number(given)
    if (!Number.isSafeInteger(seed)) throw new Error(`CHRONICLE_FUZZ_SEED is not an integer: ${given}`)
    return seed
  }
  return Math.floor(Math.random() * 2 ** 32)
}

export const pick = <T>(rng: Rng, items: readonly T[]): T => {
  if (items.length === 0) throw new Error('pick from nothing')
  return items[Math.floor(rng() * items.length)] as T
}
