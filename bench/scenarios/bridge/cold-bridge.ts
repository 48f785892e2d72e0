/**
 * The bridge scenario's cold case, the command line's: an import of the corpus written to SQL with no store
 * running, then a process started cold (cold-bridge-child.ts) that opens the repository and the store and makes
 * the whole change feed into events. Each run starts from a copy of the same imported library.
 */
import { spawn } from 'node:child_process'
import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { openRepository } from '../../../src/main/repository/repository'
import { corpusBatches } from '../../corpus/corpus'
import { MESSAGES_PER_BATCH, type ScenarioContext } from '../scenario'

const CHILD = fileURLToPath(new URL('./cold-bridge-child.ts', import.meta.url))

export interface ColdRun {
  /** From the process's start (Node's time origin) until its bridge had no backlog, module loading included. */
  readonly seconds: number
  /** Of those, until the repository, hub and store were open. */
  readonly openSeconds: number
  readonly rssMiB: number
  readonly backlog: number
}

/** Writes the corpus to a repository in `dir` as an import, with no sync running; returns the data directory. */
export async function importedLibrary(context: ScenarioContext, dir: string): Promise<string> {
  const dataDir = join(dir, 'imported')
  const repository = openRepository({ dataDir })
  for (const batch of corpusBatches(
    { seed: context.seed, conversations: context.conversations, messagesPerBatch: MESSAGES_PER_BATCH },
    context.vocab,
  ))
    await repository.write('import', async (w) => {
      await w.upsertConversations(batch.conversations)
      await w.upsertMessages(batch.messages)
    })
  await repository.close()
  return dataDir
}

export async function coldBridgeRun(library: string, dir: string): Promise<ColdRun> {
  const dataDir = join(dir, 'cold')
  rmSync(dataDir, { recursive: true, force: true })
  cpSync(library, dataDir, { recursive: true })
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let line = ''
  createInterface({ input: child.stdout }).on('line', (text) => (line = text))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  if (code !== 0 || !line) throw new Error(`the cold bridge process exited with ${code}`)
  const result = JSON.parse(line) as {
    drainedMs: number
    openedMs: number
    rssMiB: number
    backlogBefore: number
  }
  return {
    seconds: result.drainedMs / 1000,
    openSeconds: result.openedMs / 1000,
    rssMiB: result.rssMiB,
    backlog: result.backlogBefore,
  }
}
