import { auditScenario } from './audit/audit-scenario'
import { bridgeScenario } from './bridge/bridge-scenario'
import { idleScenario } from './idle/idle-scenario'
import { importScenario } from './import/import-scenario'
import type { Scenario } from './scenario'
import { searchScenario } from './search/search-scenario'
import { syncScenario } from './sync/sync-scenario'
import { suggestionsScenario } from './suggestions/suggestions-scenario'
import { tokenizerScenario } from './tokenizer/tokenizer-scenario'
import { uiScenario } from './ui/ui-scenario'
import { usageScenario } from './usage/usage-scenario'

/** Every scenario, in the order `npm run bench` runs them when none is named. */
export const SCENARIOS: readonly Scenario[] = [
  searchScenario,
  tokenizerScenario,
  importScenario,
  bridgeScenario,
  auditScenario,
  uiScenario,
  idleScenario,
  usageScenario,
  suggestionsScenario,
  syncScenario,
]
