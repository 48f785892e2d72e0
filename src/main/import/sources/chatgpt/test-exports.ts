/** Exports for the tests: the fixture, files written by a test, and generated conversations. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { contentsOf, conversationsOf, type ImportedConversation } from '../../source-adapter'
import type { JsonRecord } from '../roo-cline/json-values'
import { chatGptAdapter } from './index'

export const FIXTURE = fileURLToPath(new URL('./fixtures/conversations.json', import.meta.url))

/** A fresh copy each time, so a test can change it. */
export const fixtureConversations = (): JsonRecord[] =>
  JSON.parse(readFileSync(FIXTURE, 'utf8')) as JsonRecord[]

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = []
  for await (const item of items) all.push(item)
  return all
}

/** Writes `body` (a value as JSON, text or bytes as they are) to `dir/name`, creating folders. */
export function writeExport(dir: string, body: unknown, name = 'conversations.json'): string {
  const path = join(dir, name)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body))
  return path
}

/** Every conversation of every unit under `path`. */
export async function readAll(path: string): Promise<ImportedConversation[]> {
  const all: ImportedConversation[] = []
  for (const unit of await collect(chatGptAdapter.findUnits(path)))
    all.push(...conversationsOf(await chatGptAdapter.readUnit(unit)))
  return all
}

/** The one export at `path` read through the adapter: its conversations and the problems the read lists. */
export async function readOne(path: string) {
  const [unit, ...more] = await collect(chatGptAdapter.findUnits(path))
  if (!unit || more.length > 0) throw new Error(`expected one export at ${path}`)
  const { conversations, problems = [] } = contentsOf(await chatGptAdapter.readUnit(unit))
  return { conversations, problems }
}

/** Finds a conversation by its source id, or fails the test. */
export function byId(read: readonly ImportedConversation[], sourceId: string): ImportedConversation {
  const found = read.find((c) => c.conversation.sourceId === sourceId)
  if (!found) throw new Error(`conversation ${sourceId} not read`)
  return found
}

export interface TestNode {
  id: string
  parent: string | null
  children: string[]
  message: JsonRecord | null
}

const node = (
  id: string,
  parent: string | null,
  children: string[],
  message: JsonRecord | null,
): TestNode => ({
  id,
  parent,
  children,
  message,
})

/**
 * A conversation of `turns` user/assistant pairs on one chain. `text(i)` gives the i-th message's text, so a test
 * can make conversations as large as it needs.
 */
export function linearConversation(
  id: string,
  turns: number,
  text = (i: number) => `message ${i}`,
): JsonRecord & { mapping: Record<string, TestNode> } {
  const mapping: Record<string, TestNode> = { root: node('root', null, ['n0'], null) }
  const count = turns * 2
  for (let i = 0; i < count; i++) {
    const role = i % 2 === 0 ? 'user' : 'assistant'
    mapping[`n${i}`] = node(`n${i}`, i === 0 ? 'root' : `n${i - 1}`, i + 1 < count ? [`n${i + 1}`] : [], {
      id: `n${i}`,
      author: { role },
      create_time: 1_700_000_000 + i,
      content: { content_type: 'text', parts: [text(i)] },
      metadata: role === 'assistant' ? { model_slug: 'gpt-4o' } : {},
    })
  }
  return {
    id,
    title: `Conversation ${id}`,
    create_time: 1_700_000_000,
    mapping,
    current_node: `n${count - 1}`,
  }
}
