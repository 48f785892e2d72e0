/**
 * ChatGPT's data export ("Settings → Data controls → Export"): a zip whose conversations.json holds every
 * conversation as a tree of messages. One export, zipped or unpacked, is one unit.
 */
import type { SourceAdapter } from '../../source-adapter'
import { findExportUnits } from './export-files'
import { readExport } from './read-export'

export const chatGptAdapter: SourceAdapter = {
  source: 'chatgpt',
  findUnits: findExportUnits,
  readUnit: (unit) => readExport(unit.key),
}
