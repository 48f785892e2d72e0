import type { Migration } from '../../migration'

/**
 * Who pushed each event, as the hub authenticated the connection (hub/hub-credentials.ts): `host` (the main
 * store, in-process), `relay` (another machine's main store), `ui` (one of this machine's pages) or `device` (a
 * device program), and the device that
 * credential speaks for. Events from before this version have none: they were accepted on the launch token alone.
 * The audit trail shows it beside what the event says of itself, and the hub looks a client id up by it, so that a
 * client id that pushed for one device can never push for another (hence the index).
 */
export const migration0009: Migration = {
  version: 9,
  description: 'authenticated pusher of each hub event',
  sql: `
ALTER TABLE hub_events ADD COLUMN pushed_by_kind TEXT CHECK (pushed_by_kind IN ('host', 'relay', 'ui', 'device'));
ALTER TABLE hub_events ADD COLUMN pushed_by_device TEXT;
CREATE INDEX hub_events_client ON hub_events (client_id, seq);
`,
}
