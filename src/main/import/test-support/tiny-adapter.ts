/**
 * A deliberately tiny format for testing the import engine and watcher with real files: one JSON file per
 * conversation, {title, messages: [text | {key, text}], id?, updatedAt?, problems?: [{reason, retryable}]}. A
 * message given as text is keyed by its position, one given with a key by that key; `id` lets two files carry the
 * same conversation. A file that does not end with "}" is taken as still being written.
 */
import { readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Role } from '../../../shared/domain'
import {
  conversationIdFor,
  keyedMessageIdentity,
  messageIdentity,
  UnitReadError,
  type SourceAdapter,
} from '../source-adapter'

export function makeTinyAdapter(reads: string[]): SourceAdapter {
  return {
    source: 'chatgpt',
    async *findUnits(dir) {
      for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name)
        yield { key: path, source: 'chatgpt', files: [path] }
      }
    },
    async readUnit(unit) {
      reads.push(basename(unit.key))
      const text = await readFile(unit.key, 'utf8')
      let doc: {
        title: string
        id?: string
        updatedAt?: number
        messages: (string | { key: string; text: string })[]
        problems?: { reason: string; retryable: boolean }[]
      }
      try {
        doc = JSON.parse(text) as typeof doc
      } catch {
        throw new UnitReadError(unit.key, 'is not valid JSON', !text.trimEnd().endsWith('}'))
      }
      const id = conversationIdFor('chatgpt', doc.id ?? basename(unit.key, '.json'))
      const conversations = [
        {
          conversation: {
            id,
            source: 'chatgpt' as const,
            sourceId: doc.id ?? basename(unit.key),
            title: doc.title,
            createdAt: 1,
            ...(doc.updatedAt !== undefined && { updatedAt: doc.updatedAt }),
          },
          messages: doc.messages.map((m, ordinal) => ({
            ...(typeof m === 'string'
              ? messageIdentity(id, ordinal)
              : keyedMessageIdentity(id, m.key, ordinal)),
            // A title of "invalid role" makes a row the database refuses: a unit that reads fine but cannot be written.
            role:
              doc.title === 'invalid role'
                ? ('narrator' as Role)
                : ordinal % 2 === 0
                  ? ('user' as const)
                  : ('assistant' as const),
            text: typeof m === 'string' ? m : m.text,
          })),
        },
      ]
      const problems = (doc.problems ?? []).map((p) => ({ path: unit.key, ...p }))
      return problems.length > 0 ? { conversations, problems } : conversations
    },
  }
}
