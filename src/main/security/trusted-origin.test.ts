import { describe, expect, it } from 'vitest'
import { isTrustedSender, navigationDecision, originOf, permissionAllowed } from './trusted-origin'

const APP = ['chronicle://app']

describe('originOf', () => {
  it('names the origin of a URL, and none for what is not one or has an opaque origin', () => {
    // Node's own URL says "null" for our scheme (not standard to Node); the page's origin is chronicle://app.
    expect(originOf('chronicle://app/index.html#/x')).toBe('chronicle://app')
    expect(originOf('chronicle://APP/')).toBe('chronicle://app')
    expect(originOf('http://127.0.0.1:5173/')).toBe('http://127.0.0.1:5173')
    // Bad input: not a URL, data:, about:blank, file: (opaque origins).
    for (const url of ['http://[/x', '', 'data:text/html,<p>', 'about:blank', 'file:///etc/passwd'])
      expect(originOf(url)).toBeNull()
  })
})

describe('isTrustedSender', () => {
  it('trusts our page in the top frame only', () => {
    expect(isTrustedSender({ url: 'chronicle://app/index.html', isTopFrame: true }, APP)).toBe(true)
    // Bad input: our page in an iframe, another origin on top, a look-alike host, no frame at all.
    expect(isTrustedSender({ url: 'chronicle://app/index.html', isTopFrame: false }, APP)).toBe(false)
    expect(isTrustedSender({ url: 'https://attacker.example/', isTopFrame: true }, APP)).toBe(false)
    expect(isTrustedSender({ url: 'chronicle://app.attacker/', isTopFrame: true }, APP)).toBe(false)
    expect(isTrustedSender({ url: 'chronicle://evil@app/', isTopFrame: true }, APP)).toBe(true)
    expect(isTrustedSender(null, APP)).toBe(false)
  })
})

describe('navigationDecision', () => {
  it('stays within the app, sends web links to the browser, refuses every other scheme', () => {
    expect(navigationDecision('chronicle://app/index.html', APP)).toBe('allow')
    expect(navigationDecision('https://docs.example/page', APP)).toBe('open-in-browser')
    expect(navigationDecision('HTTP://example.com', APP)).toBe('open-in-browser')
    // Bad input: schemes the OS would hand to a program, and URLs that do not parse.
    for (const url of [
      'file:///usr/bin/xcalc',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-msdt:/id PCWDiagnostic',
      'chronicle://other/',
      'https://[',
      'http:///nohost',
    ])
      expect(navigationDecision(url, APP)).toBe('deny')
  })
})

describe('permissionAllowed', () => {
  it('grants our page plain-text clipboard writes and nothing else to anyone', () => {
    expect(permissionAllowed('clipboard-sanitized-write', 'chronicle://app/index.html', APP)).toBe(true)
    // Bad input: every other permission from our page, and the clipboard from another origin.
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'hid',
      'openExternal',
    ])
      expect(permissionAllowed(permission, 'chronicle://app/index.html', APP)).toBe(false)
    expect(permissionAllowed('clipboard-sanitized-write', 'https://attacker.example/', APP)).toBe(false)
    expect(permissionAllowed('clipboard-sanitized-write', '', APP)).toBe(false)
  })
})
