/**
 * What a local program can send the web host and the desktop app's sync endpoint without the token: raw bytes
 * over a socket. Behind both sits a WebSocket upgrade handler that checks the token the way the hub once did
 * (string lengths, then `timingSafeEqual`, which throws for 32 × é), so the guard around every upgrade is tried
 * with a handler that really throws; the last case puts the real hub behind the web host. Each case must get an
 * answer or a closed socket, never an exception that ends the process, and the host must answer `stats` afterwards.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { connect } from 'node:net'
import type { Duplex } from 'node:stream'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeDispatcher } from '../api/handlers'
import { makeConnectedClients } from '../hub/connected-clients'
import { makeHub } from '../hub/hub'
import { makeHubCredentials } from '../hub/hub-credentials'
import { openHubEventlog } from '../hub/hub-eventlog'
import { makeWsSyncServer } from '../hub/ws-sync-server'
import { STORE_ID } from '../livestore/chronicle-store'
import { WebSocketServer } from 'ws'
import { openRepository, type Repository } from '../repository/repository'
import { startSyncEndpoint, type SyncEndpoint } from '../sync/sync-endpoint'
import { newLaunchToken } from './request-guard'
import { startWebHost, type WebHost } from './web-host'

const logged: string[] = []
let root: string
let repository: Repository
let host: WebHost
let endpoint: SyncEndpoint
const wss = new WebSocketServer({ noServer: true })

/** Throws a RangeError for a token as long as the real one in characters but not in bytes. */
function upgradeWithToken(token: string) {
  return (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const given = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('token') ?? ''
    if (given.length !== token.length || !timingSafeEqual(Buffer.from(given), Buffer.from(token))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(request, socket, head, (ws) => ws.close())
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'chronicle-hostile-'))
  const rendererDir = join(root, 'renderer')
  mkdirSync(rendererDir)
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Chronicle</title>')
  repository = openRepository({ dataDir: join(root, 'data') })
  const token = newLaunchToken()
  const log = (line: string) => void logged.push(line)
  host = await startWebHost({
    dispatcher: makeDispatcher(repository, log),
    rendererDir,
    log,
    token,
    onSyncUpgrade: upgradeWithToken(token),
  })
  endpoint = await startSyncEndpoint({ handleUpgrade: upgradeWithToken(token) }, [], log)
})

afterAll(async () => {
  wss.close()
  await endpoint.close()
  await host.close()
  await repository.close()
  rmSync(root, { recursive: true, force: true })
})

/** Writes the bytes as they are and reads until the server closes or goes quiet: the raw answer. */
function raw(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let answer = ''
    let timer: NodeJS.Timeout
    const done = () => {
      clearTimeout(timer)
      socket.destroy()
      resolve(answer)
    }
    timer = setTimeout(done, 2_000)
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1')
      // A kept-alive connection stays open: the answer is complete once the server has been quiet a moment.
      clearTimeout(timer)
      timer = setTimeout(done, 100)
    })
    socket.on('close', done)
    socket.on('error', done)
    socket.write(bytes)
  })
}

const status = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)

const upgradeHeaders = (port: number) =>
  `Host: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n'

const syncTarget = (token: string) => `/sync?token=${encodeURIComponent(token)}`

async function statsAnswersQuickly(): Promise<void> {
  const started = performance.now()
  const response = await fetch(`http://127.0.0.1:${host.port}/api/stats`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
    body: '{}',
  })
  expect(await response.json()).toMatchObject({ ok: true })
  expect(performance.now() - started).toBeLessThan(1_000)
}

describe('web host and sync endpoint under hostile bytes', () => {
  it('bad input: a request target that is not a URL (`http://[/sync`), with and without Upgrade, is a 400', async () => {
    for (const port of [host.port, new URL(endpoint.url).port].map(Number)) {
      const upgrade = await raw(port, `GET http://[/sync HTTP/1.1\r\n${upgradeHeaders(port)}\r\n`)
      expect(status(upgrade)).toBe(400)
    }
    const plain = await raw(host.port, `GET http://[/sync HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`)
    expect(status(plain)).toBe(400)
    await statsAnswersQuickly()
  })

  it('bad input: a malformed percent-encoding in the API method is a 400 with a one-line reason, no stack', async () => {
    logged.length = 0
    const answer = await raw(
      host.port,
      `POST /api/%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${host.token}\r\n` +
        'Content-Length: 2\r\nConnection: close\r\n\r\n{}',
    )
    expect(status(answer)).toBe(400)
    expect(answer).toContain('"code":"INVALID_PATH"')
    expect(answer).not.toMatch(/\n\s+at /)
    expect(logged.join('\n')).not.toMatch(/\n\s+at /)
    await statsAnswersQuickly()
  })

  it('bad input: tokens of the right length in characters but not in bytes (32 × é), at the API and the upgrade', async () => {
    const accented = 'é'.repeat(32)
    const api = await raw(
      host.port,
      `POST /api/stats HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${accented}\r\n` +
        'Content-Length: 2\r\nConnection: close\r\n\r\n{}',
    )
    expect(status(api)).toBe(401)
    logged.length = 0
    for (const port of [host.port, new URL(endpoint.url).port].map(Number)) {
      const answer = await raw(port, `GET ${syncTarget(accented)} HTTP/1.1\r\n${upgradeHeaders(port)}\r\n`)
      // Dropped (the handler threw), never a WebSocket; the good token still gets one.
      expect(answer).toBe('')
      const good = await raw(port, `GET ${syncTarget(host.token)} HTTP/1.1\r\n${upgradeHeaders(port)}\r\n`)
      expect(good).toContain('101 Switching Protocols')
    }
    expect(logged).toHaveLength(2)
    expect(logged[0]).toMatch(/^web host: upgrade .*RangeError/)
    await statsAnswersQuickly()
  })

  it('bad input: garbage request lines, absurd headers and non-UTF-8 bytes in the path', async () => {
    const port = host.port
    const hostLine = `Host: 127.0.0.1:${port}\r\n`
    const attempts: (string | Buffer)[] = [
      'BLAH\r\n\r\n',
      '\x00\x01\x02\x03\r\n\r\n',
      `GET ${'/a'.repeat(40_000)} HTTP/1.1\r\n${hostLine}\r\n`,
      `GET / HTTP/1.1\r\n${hostLine}X-Big: ${'x'.repeat(100_000)}\r\n\r\n`,
      `GET / HTTP/1.1\r\n${hostLine}${'X-Many: 1\r\n'.repeat(5_000)}\r\n`,
      `GET / HTTP/1.1\r\nHost: ${'[::'.repeat(100)}\r\n\r\n`,
      `GET / HTTP/1.1\r\n${hostLine}Origin: http://[\r\n\r\n`,
      Buffer.concat([
        Buffer.from('GET /\xff\xfe'),
        Buffer.from([0xc3, 0x28, 0xa0]),
        Buffer.from(` HTTP/1.1\r\n${hostLine}\r\n`),
      ]),
      Buffer.concat([
        Buffer.from('POST /api/'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(` HTTP/1.1\r\n${hostLine}Content-Length: 0\r\n\r\n`),
      ]),
      `GET /%ff%fe%00 HTTP/1.1\r\n${hostLine}\r\n`,
      `GET /sync?payload=%E0%A4%A HTTP/1.1\r\n${upgradeHeaders(port)}\r\n`,
      `GET ${syncTarget(host.token)}&storeId=x HTTP/1.1\r\n${upgradeHeaders(port)}Sec-WebSocket-Version: x\r\n\r\n`,
      `GET http://[/sync HTTP/1.1\r\n${upgradeHeaders(port)}`, // and the client leaves mid-headers
    ]
    for (const bytes of attempts) {
      const answer = await raw(port, bytes)
      expect(answer).not.toContain(' 500 ')
    }
    await statsAnswersQuickly()
  })
})

describe('the real hub behind the web host', () => {
  it('bad input: a 32 × é credential and a malformed payload at the upgrade are refused; the page credential connects', async () => {
    const root = mkdtempSync(join(tmpdir(), 'chronicle-hostile-hub-'))
    const repository = openRepository({ dataDir: root })
    const credentials = makeHubCredentials('device-1')
    const hub = makeWsSyncServer({
      hub: await makeHub(await openHubEventlog(repository.db)),
      storeId: STORE_ID,
      credentials,
      clients: makeConnectedClients(),
    })
    const served = await startWebHost({
      dispatcher: makeDispatcher(repository, () => undefined),
      rendererDir: root,
      log: (line) => void logged.push(line),
      onSyncUpgrade: (request, socket, head) => hub.handleUpgrade(request, socket, head),
    })
    try {
      const target = (payload: string) =>
        `GET /sync?storeId=${STORE_ID}&payload=${payload} HTTP/1.1\r\n${upgradeHeaders(served.port)}\r\n`
      const encoded = (authToken: string) =>
        encodeURIComponent(encodeURIComponent(JSON.stringify({ authToken })))
      expect(status(await raw(served.port, target(encoded('é'.repeat(32)))))).toBe(401)
      expect(status(await raw(served.port, target('%E0%A4%A')))).toBe(401)
      expect(await raw(served.port, target(encoded(credentials.pageCredential)))).toContain(
        '101 Switching Protocols',
      )
    } finally {
      hub.close()
      await served.close()
      await repository.close()
      rmSync(root, { recursive: true, force: true })
    }
    await statsAnswersQuickly()
  })
})
