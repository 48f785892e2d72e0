/** Which adapter reads which place: by --source, by a discovered location, or by what a given path looks like. */
import { readdirSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import type { Source } from '../../shared/domain'
import type { DiscoveredLocation } from './discovery'
import type { ImportTarget } from './import-engine'
import type { SourceAdapter } from './source-adapter'
import { chatGptAdapter } from './sources/chatgpt'
import { claudeCodeAdapter } from './sources/claude-code'
import { clineSdkAdapter } from './sources/cline-sdk'
import { clineAdapter, rooCodeAdapter } from './sources/roo-cline'

export type SourceFormat = DiscoveredLocation['format'] | 'chatgpt'

export const ADAPTERS: Record<SourceFormat, SourceAdapter> = {
  roo: rooCodeAdapter,
  cline: clineAdapter,
  'cline-sdk': clineSdkAdapter,
  'claude-code': claudeCodeAdapter,
  chatgpt: chatGptAdapter,
}

const FORMATS_OF_SOURCE: Record<Source, readonly SourceFormat[]> = {
  roo: ['roo'],
  cline: ['cline', 'cline-sdk'],
  'claude-code': ['claude-code'],
  chatgpt: ['chatgpt'],
  chronicle: [],
}

export const targetsForLocations = (locations: readonly DiscoveredLocation[]): ImportTarget[] =>
  locations.map((l) => ({ path: l.path, adapter: ADAPTERS[l.format] }))

/** The formats a path the user named holds, judged from names only (no file is read). */
export function detectFormats(path: string, source?: Source): SourceFormat[] {
  if (source) return [...FORMATS_OF_SOURCE[source]]
  const formats = new Set<SourceFormat>()
  // Roo Code's own folder is `rooveterinaryinc.roo-cline`, so "cline" in a path says Cline only when "roo" does not.
  const taskFormat: SourceFormat = /claude-dev|cline/i.test(path) && !/roo/i.test(path) ? 'cline' : 'roo'
  const consider = (name: string) => {
    if (name.endsWith('.jsonl') || name === 'projects') formats.add('claude-code')
    else if (name.endsWith('.messages.json') || name === 'sessions') formats.add('cline-sdk')
    else if (name === 'conversations.json' || name.endsWith('.zip')) formats.add('chatgpt')
    else if (
      ['tasks', 'api_conversation_history.json', 'ui_messages.json', 'claude_messages.json'].includes(name)
    ) {
      formats.add(taskFormat)
    }
  }
  try {
    if (!statSync(path).isDirectory()) {
      consider(basename(path))
      return [...formats]
    }
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      consider(entry.name)
      // A Claude Code projects folder holds one folder per project, each full of .jsonl sessions.
      if (entry.isDirectory() && formats.size === 0) {
        try {
          for (const inner of readdirSync(`${path}/${entry.name}`)) consider(inner)
        } catch {
          // An unreadable subfolder says nothing about the format; the import reports it when it gets there.
        }
      }
    }
  } catch {
    return []
  }
  return [...formats]
}
