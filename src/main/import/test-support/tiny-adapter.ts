/**
 * A deliberately tiny format for testing the import engine and watcher with real files: one JSON file per
 * conversation, {title, messages: [text]}. A file that does not end with "}" is taken as still being written.
 */
import { readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Role } from '../../../shared/domain'
import { conversationIdFor, messageIdFor, UnitReadError, type SourceAdapter } from '../source-adapter'

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
      let doc: { title: string; messages: string[] }
      try {
        doc = JSON.parse(text) as typeof doc
      } catch {
        throw new UnitReadError(unit.key, 'is not valid JSON', !text.trimEnd().endsWith('}'))
      }
      const id = conversationIdFor('chatgpt', basename(unit.key, '.json'))
      return [
        {
          conversation: {
            id,
            source: 'chatgpt',
            sourceId: basename(unit.key),
            title: doc.title,
            createdAt: 1,
          },
          messages: doc.messages.map((text, ordinal) => ({
            id: messageIdFor(id, ordinal),
            conversationId: id,
            ordinal,
            // A title of "invalid role" makes a row the database refuses: a unit that reads fine but cannot be written.
            role:
              doc.title === 'invalid role'
                ? ('narrator' as Role)
                : ordinal % 2 === 0
                  ? ('user' as const)
                  : ('assistant' as const),
            text,
          })),
        },
      ]
    },
  }
}
