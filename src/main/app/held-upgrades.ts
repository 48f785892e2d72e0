/**
 * Hub connections that arrive while sync re-opens (application.ts) wait for the new hub instead of being refused.
 * A refused client backs off (LiveStore's waits up to 30 s between tries), so a page would show "Offline" long
 * after the change is done; a held one is served the moment the new hub is there. Nothing is read from a held
 * socket before the hub gets it, so the hub still checks its credentials as for any other. Held sockets are
 * few and short-lived: past `max` a new one is refused, one that fails or closes meanwhile is forgotten, and one
 * whose client gave up (LiveStore's give up opening after 10 s) is found dead by the hub when it is released.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'

export type Upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => void

export interface HeldUpgrades {
  /** Keeps the upgrade until `release` or `dropAll`; refuses it when `max` are held already. */
  readonly hold: Upgrade
  /** Hands every upgrade still held, in arrival order, to `serve`. */
  release(serve: Upgrade): void
  /** Refuses every upgrade still held (the application is closing). */
  dropAll(): void
  readonly count: number
}

interface Held {
  readonly request: IncomingMessage
  readonly socket: Duplex
  readonly head: Buffer
  readonly forget: () => void
  /** Node's HTTP server takes its error listener off an upgraded socket: one is needed while it waits here. */
  readonly fail: () => void
}

/** 64: a machine's windows and local programs, with room to spare; more is a program that floods. */
export function heldUpgrades(max = 64): HeldUpgrades {
  const held = new Set<Held>()
  const take = () => {
    const all = [...held]
    held.clear()
    for (const one of all) one.socket.off('close', one.forget).off('error', one.fail)
    return all.filter(({ socket }) => !socket.destroyed)
  }
  return {
    hold(request, socket, head) {
      if (held.size >= max) return void socket.destroy()
      const forget = () => held.delete(one)
      const one: Held = { request, socket, head, forget, fail: () => (forget(), socket.destroy()) }
      held.add(one)
      socket.once('close', one.forget).once('error', one.fail)
    },
    release(serve) {
      for (const { request, socket, head } of take()) serve(request, socket, head)
    },
    dropAll() {
      for (const { socket } of take()) socket.destroy()
    },
    get count() {
      return held.size
    },
  }
}
