/**
 * One import in a process of its own, so its peak RSS is the import's alone (not the corpus generator's).
 * Usage: node --import tsx import-child.ts DATA_DIR ROO_TASKS CLAUDE_PROJECTS; prints one JSON line.
 */
import { importSources } from '../../../src/main/import/import-engine'
import { claudeCodeAdapter } from '../../../src/main/import/sources/claude-code'
import { rooCodeAdapter } from '../../../src/main/import/sources/roo-cline'
import { openRepository } from '../../../src/main/repository/repository'

const [dataDir, rooTasks, claudeProjects] = process.argv.slice(2)
if (!dataDir || !rooTasks || !claudeProjects)
  throw new Error('usage: import-child.ts DATA_DIR ROO_TASKS CLAUDE_PROJECTS')
const repository = openRepository({ dataDir })
const started = performance.now()
const summary = await importSources(repository, [
  { path: rooTasks, adapter: rooCodeAdapter },
  { path: claudeProjects, adapter: claudeCodeAdapter },
])
const ms = performance.now() - started
await repository.close()
// maxRSS is in kilobytes.
console.log(JSON.stringify({ ms, peakRssMiB: process.resourceUsage().maxRSS / 1024, summary }))
