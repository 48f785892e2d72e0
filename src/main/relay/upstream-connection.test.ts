/**
 * How a push is cut into WebSocket messages that stay under the Worker's message limit, and how an upgrade that is
 * answered with an HTTP error is taken. Bad input: 503 and 429 from something in front of the worker (an outage, a
 * deploy, a rate limit) pass and are tried again; 401 and 403 are the worker's answer and are kept.
 */
import { createServer, type AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { openUpstream, splitBySize } from './upstream-connection'

const servers: ReturnType<typeof createServer>[] = []
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

/** Answers every request with this status and a JSON refusal, as a proxy or the worker would. */
async function answering(status: number): Promise<string> {
  const server = createServer((socket) =>
    socket.once('data', () => {
      const body = JSON.stringify({ error: 'x', message: `status ${status} here` })
      socket.end(
        `HTTP/1.1 ${status} X\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
      )
    }),
  )
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('an upgrade answered with an HTTP error', () => {
  it.each([503, 502, 429, 408])('passes with %i: unreachable, tried again', async (status) => {
    const ended = await openUpstream({ url: await answering(status), storeId: 's', token: 't'.repeat(43) })
    expect(ended).toEqual({ kind: 'unreachable', reason: `HTTP ${status}: status ${status} here` })
  })

  it.each([401, 403, 404])('is the answer with %i: refused, kept', async (status) => {
    const ended = await openUpstream({ url: await answering(status), storeId: 's', token: 't'.repeat(43) })
    expect(ended).toEqual({ kind: 'refused', status, reason: `status ${status} here` })
  })
})

const item = (bytes: number) => 'x'.repeat(bytes - 2) // JSON adds the two quotes

describe('splitBySize', () => {
  it('keeps parts under the limit, in order, losing and repeating nothing', () => {
    const batch = Array.from({ length: 100 }, (_, i) => item(30_000 + i))
    const parts = splitBySize(batch, 880_000)
    expect(parts.length).toBe(4)
    expect(parts.flat()).toEqual(batch)
    for (const part of parts)
      expect(part.reduce((sum, text) => sum + text.length + 2, 0)).toBeLessThanOrEqual(880_000)
  })

  it('sends an event larger than the limit alone, and a small batch whole', () => {
    expect(splitBySize([item(10), item(1_000_000), item(10)], 880_000).map((p) => p.length)).toEqual([
      1, 1, 1,
    ])
    expect(splitBySize([item(10), item(10)], 880_000)).toHaveLength(1)
    expect(splitBySize([], 880_000)).toEqual([])
  })
})
