import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'

/** A URL nothing answers on (a port just freed): a relay pointed at it finds the Worker unreachable. */
export async function silentUrl(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return `http://127.0.0.1:${port}/`
}
