import type { Migration } from '../../migration'

/**
 * A Roo or Cline API request is no longer a message of its own: its figures are on the assistant message that
 * answers it (import/sources/roo-cline/ui-log.ts). The request lines an earlier version wrote are removed: they held
 * the figures the usage table keeps, and the label "API request", which every search for "request" found first. The
 * tasks are marked to be read again in full, so the next import puts the figures on the answers (the usage rows,
 * keyed by request, follow) and closes the gaps the lines leave in the ordinals; a request nothing answered gets its
 * line back under the same id. Removing a line is an ordinary delete, in the change feed and so in the audit trail.
 */
export const migration0014: Migration = {
  version: 14,
  description: 'Roo and Cline request lines folded into the messages that answer them',
  sql: `
DELETE FROM messages
  WHERE kind = 'event' AND json_extract(metadata, '$.say') = 'api_req_started'
    AND conversation_id IN (SELECT id FROM conversations WHERE source IN ('roo', 'cline'));
UPDATE import_units SET fingerprint = '', resume = NULL WHERE source IN ('roo', 'cline');
`,
}
