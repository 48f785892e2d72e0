/** Helpers for the Claude Code adapter's tests: session lines in the real envelope, written to temp folders. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { conversationsOf, type ImportedConversation, type SourceAdapter } from '../../source-adapter'

export const SESSION = '11111111-2222-3333-4444-555555555555'

export const AT = '2025-01-01T00:00:00.000Z'

/** A user or assistant line with the envelope Claude Code writes; `extra` overrides any field. */
export function line(
  type: string,
  uuid: string,
  parentUuid: string | null,
  message: Record<string, unknown> | undefined,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    parentUuid,
    isSidechain: false,
    userType: 'external',
    cwd: '/work/demo',
    sessionId: SESSION,
    version: '2.1.0',
    gitBranch: 'main',
    type,
    ...(message ? { message } : {}),
    uuid,
    timestamp: AT,
    ...extra,
  }
}

export const userLine = (uuid: string, parent: string | null, content: unknown) =>
  line('user', uuid, parent, { role: 'user', content })

export const assistantLine = (uuid: string, parent: string | null, content: unknown, id = `msg_${uuid}`) =>
  line('assistant', uuid, parent, {
    id,
    model: 'claude-sonnet-4-5',
    role: 'assistant',
    content,
    usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  })

export const jsonl = (lines: readonly unknown[]): string =>
  lines.map((l) => JSON.stringify(l)).join('\n') + '\n'

export interface TempProject {
  readonly root: string
  readonly dir: string
  write(name: string, text: string | Buffer): string
  remove(): void
}

/** A temp `projects/<project>` folder. */
export function tempProject(): TempProject {
  const root = mkdtempSync(join(tmpdir(), 'chronicle-claude-code-'))
  const dir = join(root, 'projects', '-work-demo')
  mkdirSync(dir, { recursive: true })
  return {
    root,
    dir,
    write(name, text) {
      const path = join(dir, name)
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, text)
      return path
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  }
}

export async function readAll(adapter: SourceAdapter, root: string): Promise<ImportedConversation[]> {
  const all: ImportedConversation[] = []
  for await (const unit of adapter.findUnits(root)) all.push(...conversationsOf(await adapter.readUnit(unit)))
  return all
}

export async function unitKeys(adapter: SourceAdapter, root: string): Promise<string[]> {
  const keys: string[] = []
  for await (const unit of adapter.findUnits(root)) keys.push(unit.key)
  return keys
}

export const readFile = async (adapter: SourceAdapter, path: string) =>
  conversationsOf(await adapter.readUnit({ key: path, source: 'claude-code', files: [path] }))
