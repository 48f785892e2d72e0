import type { Migration } from '../../migration'

/**
 * The usage tables' two indexes carry the figures the dashboard sums, so its queries read the index alone instead
 * of looking up the row behind each entry (a B-tree search per entry):
 * - `usage_hourly_by_conversation` serves the costliest conversations and workspaces (every conversation's sums);
 * - `usage_by_time` serves the 5-hour billing windows of a recent span.
 * Measured on the bench's large library (422,232 responses, 17,910 rollup rows): the rankings' per-conversation
 * sums a fifth faster, a month's windows twice as fast; writing the responses (rollup triggers included) costs
 * 0.5 s of CPU more per 422,232 responses, and a change of prices rewrites the time index's entries it moves.
 * The model and device come first among the figures: they are filters, read from the index too.
 * Same names as 0011's, which are dropped: an applied migration's SQL is frozen, so they are made again here.
 */
const FIGURES = ['tokens_in', 'tokens_out', 'cache_writes', 'cache_writes_1h', 'cache_reads']

export const migration0015: Migration = {
  version: 15,
  description: 'usage indexes that cover the dashboard queries',
  sql: `
DROP INDEX usage_hourly_by_conversation;
CREATE INDEX usage_hourly_by_conversation ON usage_hourly (conversation_id, model, device_id, responses,
  ${FIGURES.join(', ')}, cost, cost_uncached, unpriced);
DROP INDEX usage_by_time;
CREATE INDEX usage_by_time ON usage (at, model, device_id, ${FIGURES.join(', ')}, cost, cost_uncached);
`,
}
