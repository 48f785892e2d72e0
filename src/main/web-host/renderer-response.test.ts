/** The desktop app's scheme as its handler answers it, with real files: what it serves, with which headers. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../shared/content-security-policy'
import { rendererResponse } from './renderer-response'

const root = mkdtempSync(join(tmpdir(), 'chronicle-scheme-'))
const rendererDir = join(root, 'renderer')
mkdirSync(join(rendererDir, 'assets'), { recursive: true })
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Chronicle</title>')
writeFileSync(join(rendererDir, 'assets', 'leader-1.js'), 'postMessage(1)')
writeFileSync(join(root, 'secret.txt'), 'outside the renderer folder')
afterAll(() => rmSync(root, { recursive: true, force: true }))

const site = {
  rendererDir,
  origin: 'chronicle://app',
  contentSecurityPolicy: contentSecurityPolicy('ws://127.0.0.1:41234'),
}

describe('rendererResponse (the chronicle://app scheme)', () => {
  it('sends the page and its workers with the CSP naming exactly the hub endpoint, frame-ancestors and nosniff', async () => {
    for (const url of [
      'chronicle://app/index.html',
      'chronicle://app/',
      'chronicle://app/assets/leader-1.js',
    ]) {
      const response = await rendererResponse(site, url)
      expect(response.status).toBe(200)
      const policy = response.headers.get('content-security-policy') ?? ''
      expect(policy).toContain("connect-src 'self' ws://127.0.0.1:41234;")
      expect(policy).not.toContain('127.0.0.1:*')
      expect(policy).toContain("frame-ancestors 'none'")
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    }
    const page = await rendererResponse(site, 'chronicle://app/index.html')
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await page.text()).toContain('<title>Chronicle</title>')
    const worker = await rendererResponse(site, 'chronicle://app/assets/leader-1.js')
    expect(worker.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
  })

  it('bad input: traversal, another host, a malformed percent-encoding', async () => {
    for (const url of [
      'chronicle://app/../secret.txt',
      'chronicle://app/%2e%2e/secret.txt',
      'chronicle://app/assets/..%2f..%2fsecret.txt',
      'chronicle://other/index.html',
      'chronicle://app/%E0%A4%A',
    ]) {
      const response = await rendererResponse(site, url)
      expect(await response.text()).not.toContain('outside the renderer folder')
    }
    expect((await rendererResponse(site, 'chronicle://other/index.html')).status).toBe(404)
    expect((await rendererResponse(site, 'chronicle://app/%E0%A4%A')).status).toBe(404)
  })
})

describe('contentSecurityPolicy', () => {
  it("lets the web host's page connect to its own origin only, and the desktop app's to one hub port", () => {
    expect(contentSecurityPolicy()).toContain("connect-src 'self';")
    expect(contentSecurityPolicy()).not.toContain('ws:')
    // Bad input: a port range, another host, another scheme.
    for (const origin of [
      'ws://127.0.0.1:*',
      'ws://attacker.example:80',
      'http://127.0.0.1:80',
      'ws://127.0.0.1:1/x',
    ])
      expect(() => contentSecurityPolicy(origin)).toThrow(/ws:\/\/127\.0\.0\.1:<port>/)
  })
})
