/**
 * Upgrades held while sync re-opens, on a real HTTP server with real WebSocket clients: they are served in arrival
 * order once released, and what a local program might try (bad input: a flood of upgrades, a client that resets
 * or leaves while held, released afterwards into a closing app) is refused or forgotten without harm.
 */
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { heldUpgrades, type HeldUpgrades } from './held-upgrades'

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

/** A server whose every upgrade is held in `held`; `served` is the WebSocket server release hands them to. */
async function holdingServer(held: HeldUpgrades) {
  const server = createServer()
  servers.push(server)
  let arrived = 0
  server.on('upgrade', (request, socket, head) => (arrived++, held.hold(request, socket, head)))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const served = new WebSocketServer({ noServer: true })
  const order: string[] = []
  served.on('connection', (socket, request) => {
    order.push(request.url ?? '')
    socket.send('welcome')
  })
  return {
    url: (path: string) => `ws://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    release: () =>
      held.release((request, socket, head) =>
        served.handleUpgrade(request, socket, head, (ws) => served.emit('connection', ws, request)),
      ),
    order,
    arrived: () => arrived,
  }
}

/** Resolves with how the client's connection ended up: opened (with the first message), or refused. */
function outcome(client: WebSocket): Promise<string> {
  return new Promise((resolve) => {
    client.once('message', (data) => resolve(`opened: ${String(data)}`))
    client.once('error', () => resolve('refused'))
    client.once('close', () => resolve('refused'))
  })
}

async function until(condition: () => boolean) {
  const started = Date.now()
  while (!condition()) {
    if (Date.now() - started > 5_000) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('upgrades held while sync re-opens', () => {
  it('waits, then serves each held upgrade in the order it came', async () => {
    const held = heldUpgrades()
    const server = await holdingServer(held)
    const first = new WebSocket(server.url('/first'))
    await until(() => held.count === 1)
    const second = new WebSocket(server.url('/second'))
    await until(() => held.count === 2)
    const outcomes = [outcome(first), outcome(second)]
    // Held, not answered: neither client has heard anything yet.
    expect(first.readyState).toBe(WebSocket.CONNECTING)
    server.release()
    expect(await Promise.all(outcomes)).toEqual(['opened: welcome', 'opened: welcome'])
    expect(server.order).toEqual(['/first', '/second'])
    expect(held.count).toBe(0)
    first.close()
    second.close()
  })

  it('refuses upgrades past its limit at once (bad input: a program that floods the hub during a change)', async () => {
    const held = heldUpgrades(2)
    const server = await holdingServer(held)
    const clients = ['/a', '/b'].map((path) => new WebSocket(server.url(path)))
    await until(() => held.count === 2)
    const flood = new WebSocket(server.url('/flood'))
    expect(await outcome(flood)).toBe('refused')
    expect(held.count).toBe(2)
    const outcomes = clients.map(outcome)
    server.release()
    expect(await Promise.all(outcomes)).toEqual(['opened: welcome', 'opened: welcome'])
    for (const client of clients) client.close()
  })

  it('forgets a client that resets while held, and a released socket that died costs nothing (bad input: a raw client that leaves mid-handshake)', async () => {
    const held = heldUpgrades()
    const server = await holdingServer(held)
    const port = Number(new URL(server.url('/')).port)
    const raw = connect(port, '127.0.0.1')
    await once(raw, 'connect')
    raw.write(
      'GET /raw HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    )
    await until(() => held.count === 1)
    raw.resetAndDestroy()
    const polite = new WebSocket(server.url('/polite'))
    const politeOutcome = outcome(polite)
    await until(() => server.arrived() === 2)
    server.release()
    expect(await politeOutcome).toBe('opened: welcome')
    // The reset client was never served: forgotten while held, or found dead by the server it was handed to.
    expect(server.order).toEqual(['/polite'])
    polite.close()
  })

  it('refuses every held upgrade when the application closes instead', async () => {
    const held = heldUpgrades()
    const server = await holdingServer(held)
    const client = new WebSocket(server.url('/late'))
    await until(() => held.count === 1)
    const ended = outcome(client)
    held.dropAll()
    expect(await ended).toBe('refused')
    expect(held.count).toBe(0)
    server.release()
    expect(server.order).toEqual([])
  })
})
