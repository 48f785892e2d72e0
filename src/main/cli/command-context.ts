import { usingRepository, type Repository, type RepositoryOptions } from '../repository/repository'
import type { Output } from './terminal'

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const

export interface CommandContext {
  readonly args: readonly string[]
  readonly options: CliOptions
  readonly output: Output
  /** `extra` for a command that needs more than the data directory (serve: suggestions on a worker). */
  readonly openRepository: (extra?: Omit<RepositoryOptions, 'dataDir'>) => Repository
}

export interface CliOptions {
  readonly dataDir: string
  readonly json: boolean
  readonly limit?: string
  readonly cursor?: string
  readonly port?: string
  readonly source?: string
  readonly open: boolean
  /** serve: do not import live from the default locations. */
  readonly noWatch: boolean
  /** simulate: how many devices, and actions per second per device. */
  readonly devices?: string
  readonly rate?: string
  /** audit export: format, filters, target file, and what to leave out or mask. */
  readonly format?: string
  readonly since?: string
  readonly until?: string
  readonly device?: string
  readonly action?: string
  readonly conversation?: string
  readonly out?: string
  readonly includeContent: boolean
  readonly redact: boolean
  /** audit verify: the digest file (default: beside the export), or --db to check the stored chain. */
  readonly digest?: string
  /** audit verify: trust this signing key too (a file or base64 public key, or its fingerprint). */
  readonly key?: string
  readonly fingerprint?: string
  readonly db: boolean
  /** sync setup: `-` reads the worker's claim secret from stdin (a worker deployed with CLAIM_SECRET). */
  readonly claimSecret?: string
  /** usage: group the rows by model, source, workspace or device. */
  readonly by?: string
}

/** A mistake in how the command was called: exit code 2 and a hint. */
export class UsageError extends Error {}

/** Parses an integer option or explains the accepted range. */
export function intOption(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`)
  return n
}

/** Runs `work` with an open repository and always closes it. */
export async function withRepository<T>(
  context: CommandContext,
  work: (repo: Repository) => Promise<T>,
): Promise<T> {
  return usingRepository(() => context.openRepository(), work)
}
