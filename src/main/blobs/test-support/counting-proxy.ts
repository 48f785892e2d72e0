/**
 * A TCP proxy in front of the local worker that counts the bytes each way, so a test can state what a blob costs
 * on the wire (HTTP headers and body, not TCP/IP framing) rather than what the code believes it sends.
 */
import { createServer, connect, type AddressInfo, type Socket } from 'node:net'

export interface CountingProxy {
  readonly url: string
  /** Bytes client → worker and worker → client since the last reset. */
  counts(): { readonly up: number; readonly down: number }
  reset(): void
  close(): Promise<void>
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const { hostname, port } = new URL(target)
  let up = 0
  let down = 0
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.on('data', (chunk: Buffer) => (up += chunk.length))
    upstream.on('data', (chunk: Buffer) => (down += chunk.length))
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts: () => ({ up, down }),
    reset: () => {
      up = 0
      down = 0
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
