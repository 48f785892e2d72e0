/**
 * LiveStore's WebSocket client opens `new globalThis.WebSocket(url)` and cannot set headers, while the sync Worker
 * wants the library token in `Authorization`. A `ws` subclass that adds the header, installed as the global, is how
 * a Node client presents it (src/main/livestore/websocket-global.ts explains the global).
 */
import { WebSocket } from 'ws'

export function authorisedWebSocket(
  token: string,
): new (url: string | URL, protocols?: string | string[]) => WebSocket {
  return class AuthorisedWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols ?? [], { headers: { authorization: `Bearer ${token}` } })
    }
  }
}

export type UpgradeAnswer = { readonly status: number; readonly body: unknown }

/** Tries a WebSocket upgrade and reports how the server answered it: 101, or its refusal with the JSON body. */
export function tryUpgrade(url: string, headers: Record<string, string>): Promise<UpgradeAnswer> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers })
    socket.once('open', () => {
      socket.close()
      resolve({ status: 101, body: undefined })
    })
    socket.once('unexpected-response', (_request, response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (text += chunk))
      response.on('end', () => {
        socket.terminate()
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown })
      })
    })
    socket.once('error', reject)
  })
}
