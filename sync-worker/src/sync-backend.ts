/**
 * LiveStore's own sync Durable Object, one per library: it orders pushes, stores the eventlog in the object's SQLite
 * storage and streams pulls. Only the WebSocket transport is enabled: it is the one Chronicle's clients use, and the
 * Worker authorises exactly that upgrade (the HTTP transport would be a second door to guard).
 */
import { makeDurableObject } from '@livestore/sync-cf/cf-worker'

export class SyncBackendDO extends makeDurableObject({ enabledTransports: new Set(['ws']) }) {}
