/** The web host over real HTTP with a real repository: what it serves, and what it refuses. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeDispatcher } from '../api/handlers'
import { openRepository, type Repository } from '../repository/repository'
import { startWebHost, type WebHost } from './web-host'

let root: string
let repository: Repository
let host: WebHost

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'chronicle-host-'))
  const rendererDir = join(root, 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Chronicle</title>')
  writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), 'console.log(1)')
  writeFileSync(join(root, 'secret.txt'), 'outside the renderer folder')
  repository = openRepository({ dataDir: join(root, 'data') })
  host = await startWebHost({
    dispatcher: makeDispatcher(repository, () => undefined),
    rendererDir,
    log: () => undefined,
  })
})

afterAll(async () => {
  await host.close()
  await repository.close()
  rmSync(root, { recursive: true, force: true })
})

/** Raw requests, so the test controls the path and headers exactly (fetch would normalise `..`). */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, method, path, headers }, (res) => {
        let data = ''
        res.on('data', (chunk: Buffer) => (data += chunk.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }))
      })
      req.on('error', reject)
      req.end(body)
    },
  )
}

const auth = () => ({ Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' })

describe('web host', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying the launch token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`)
    expect(host.token.length).toBeGreaterThanOrEqual(32)
  })

  it('serves the renderer with a strict CSP, fingerprinted assets cached for good', async () => {
    const index = await send('GET', '/')
    expect(index.status).toBe(200)
    expect(index.headers['content-security-policy']).toContain("default-src 'self'")
    // The hub's WebSocket is on this origin: 'self' covers it, and no other loopback port is reachable.
    expect(index.headers['content-security-policy']).toContain("connect-src 'self';")
    expect(index.headers['x-content-type-options']).toBe('nosniff')
    const asset = await send('GET', '/assets/app-1234.js')
    expect(asset.headers['cache-control']).toContain('immutable')
    // Client-side routes fall back to the app.
    expect((await send('GET', '/conversations/abc')).body).toContain('<title>Chronicle</title>')
  })

  it('bad input: path traversal never leaves the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const response = await send('GET', path)
      expect(response.body).not.toContain('outside the renderer folder')
    }
  })

  it('answers API calls with the token and refuses them without it', async () => {
    const ok = await send('POST', '/api/stats', auth(), '{}')
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { totals: { conversations: 0 } } })
    const wrong = await send('POST', '/api/stats', { Authorization: 'Bearer nope' }, '{}')
    expect(wrong.status).toBe(401)
  })

  it('bad input: foreign Host, foreign Origin, bad JSON, oversize bodies and invalid arguments', async () => {
    expect((await send('GET', '/', { Host: 'attacker.example' })).status).toBe(403)
    expect(
      (await send('POST', '/api/stats', { ...auth(), Origin: 'http://attacker.example' }, '{}')).status,
    ).toBe(403)
    expect((await send('POST', '/api/stats', auth(), '{not json')).status).toBe(400)
    expect(
      (await send('POST', '/api/search', auth(), JSON.stringify({ query: 'x'.repeat(300_000) }))).status,
    ).toBe(413)
    const invalid = await send('POST', '/api/search', auth(), JSON.stringify({ query: 42 }))
    expect(JSON.parse(invalid.body)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENTS' } })
    const malformed = await send(
      'POST',
      '/api/search',
      auth(),
      JSON.stringify({ query: '"unbalanced NEAR(' }),
    )
    expect(JSON.parse(malformed.body)).toMatchObject({ ok: true, value: { hits: [] } })
  })
})
