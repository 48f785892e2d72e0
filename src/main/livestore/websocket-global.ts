/**
 * LiveStore's WebSocket sync client opens its socket with `new globalThis.WebSocket(url)` and ignores its
 * `webSocketFactory` option (0.4.0). Node 20 has no global WebSocket, and without one the client fails silently
 * (a DEBUG log) while reporting itself synced. Every Node process that syncs calls this first.
 */
import { WebSocket } from 'ws'

export function ensureWebSocketGlobal(): void {
  const scope = globalThis as { WebSocket?: unknown }
  scope.WebSocket ??= WebSocket
}
