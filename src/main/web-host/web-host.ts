/**
 * The web host: serves the built renderer and the typed API on 127.0.0.1 only, so Chronicle runs in any browser
 * on this machine (headless machines, our end-to-end tests, and `npm start` where Electron is not installed).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy'
import { fail } from '../../shared/result'
import type { ApiDispatcher } from '../api/handlers'
import type { Log } from '../logger'
import {
  allowedHosts,
  hostAllowed,
  newLaunchToken,
  originAllowed,
  requestPath,
  tokenMatches,
} from './request-guard'
import { securityHeaders } from './renderer-response'
import { readStaticFile } from './static-files'
import { guardedUpgrade, oneLine, refuseUpgrade, SYNC_PATH, syncUpgradeAllowed } from './sync-upgrade'

export { SYNC_PATH } from './sync-upgrade'

export interface WebHostOptions {
  readonly dispatcher: ApiDispatcher
  readonly rendererDir: string
  /** 0 or undefined: any free port. */
  readonly port?: number
  readonly log: Log
  /** The per-launch token; made here unless the caller needs it first (the sync hub checks the same one). */
  readonly token?: string
  /** WebSocket upgrades to SYNC_PATH (the LiveStore sync hub), after the Host and Origin checks. */
  readonly onSyncUpgrade?: (request: IncomingMessage, socket: Duplex, head: Buffer) => void
}

export interface WebHost {
  /** The address to open, token included; the page moves the token out of the address bar on load. */
  readonly url: string
  readonly port: number
  readonly token: string
  /** The hub's WebSocket address for LiveStore clients (the token travels in their sync payload). */
  readonly syncUrl: string
  close(): Promise<void>
}

const MAX_BODY_BYTES = 256 * 1024
const API_PREFIX = '/api/'

const SECURITY_HEADERS = securityHeaders(CONTENT_SECURITY_POLICY)

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
  })
  response.end(JSON.stringify(body))
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) return null
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

async function handleApi(
  request: IncomingMessage,
  path: string,
  response: ServerResponse,
  options: WebHostOptions,
  token: string,
) {
  if (request.method !== 'POST')
    return sendJson(response, 405, fail('METHOD_NOT_ALLOWED', 'The API takes POST requests.'))
  if (!tokenMatches(request, token)) {
    return sendJson(
      response,
      401,
      fail('UNAUTHORIZED', 'Missing or wrong launch token; open the URL that chronicle serve printed.'),
    )
  }
  const body = await readBody(request)
  if (body === null)
    return sendJson(response, 413, fail('TOO_LARGE', `Requests are limited to ${MAX_BODY_BYTES} bytes.`))
  let args: unknown
  try {
    args = body === '' ? {} : JSON.parse(body)
  } catch {
    return sendJson(response, 400, fail('INVALID_JSON', 'The request body is not valid JSON.'))
  }
  let method: string
  try {
    method = decodeURIComponent(path.slice(API_PREFIX.length))
  } catch {
    return sendJson(response, 400, fail('INVALID_PATH', 'The method name is not valid percent-encoding.'))
  }
  sendJson(response, 200, await options.dispatcher(method, args))
}

async function handleStatic(
  request: IncomingMessage,
  path: string,
  response: ServerResponse,
  rendererDir: string,
) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, SECURITY_HEADERS).end()
    return
  }
  const file = await readStaticFile(rendererDir, path)
  if (!file) {
    response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' }).end('Not found')
    return
  }
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': file.type,
    'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  })
  response.end(request.method === 'HEAD' ? undefined : file.body)
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newLaunchToken()
  let hosts = new Set<string>()
  const server = createServer((request, response) => {
    const route = async () => {
      if (!hostAllowed(request, hosts)) {
        return sendJson(
          response,
          403,
          fail('HOST_NOT_ALLOWED', 'Chronicle answers only on 127.0.0.1 and localhost.'),
        )
      }
      if (!originAllowed(request, hosts)) {
        return sendJson(response, 403, fail('ORIGIN_NOT_ALLOWED', 'Requests from other sites are refused.'))
      }
      const path = requestPath(request)
      if (path === null)
        return sendJson(response, 400, fail('INVALID_PATH', 'The request target is not a valid path.'))
      if (path.startsWith(API_PREFIX)) return handleApi(request, path, response, options, token)
      return handleStatic(request, path, response, options.rendererDir)
    }
    // An async function: whatever throws in it, even synchronously, arrives here as a rejection.
    route().catch((error: unknown) => {
      options.log(
        `web host: ${request.method} ${JSON.stringify((request.url ?? '').slice(0, 200))}: ${oneLine(error)}`,
      )
      try {
        if (!response.headersSent)
          sendJson(response, 500, fail('INTERNAL', 'The web host failed; see the log in the data directory.'))
        else response.destroy()
      } catch {
        response.destroy()
      }
    })
  })
  server.on(
    'upgrade',
    guardedUpgrade('web host', options.log, (request, socket, head) => {
      const onSyncUpgrade = options.onSyncUpgrade
      if (!onSyncUpgrade) refuseUpgrade(socket)
      else if (syncUpgradeAllowed(request, socket, hosts)) onSyncUpgrade(request, socket, head)
    }),
  )
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  hosts = allowedHosts(port)
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    syncUrl: `ws://127.0.0.1:${port}${SYNC_PATH}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
