/**
 * Raw bytes a hostile local program could send to the web host's port: WebSocket upgrades to the hub with every
 * kind of wrong credential and malformed query, and HTTP requests with malformed request lines, oversized or
 * repeated headers, bad percent-encoding and broken bodies. Raw, because Node's and ws's clients refuse to send
 * most of them.
 */
import { syncTarget } from './fuzz-wire'

export interface HttpContext {
  readonly port: number
  readonly storeId: string
  /** The credential a page presents to the hub (the API's session gives it). */
  readonly credential: string
  /** The web host's launch token, for the API. */
  readonly token: string
}

export interface RawInput {
  readonly label: string
  readonly chunks: readonly string[]
  /** An upgrade that must not be accepted (no 101). */
  readonly refused?: boolean
}

const KEY = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n'

export function upgrade(ctx: HttpContext, target: string, headers = `Host: 127.0.0.1:${ctx.port}\r\n${KEY}`) {
  return `GET ${target} HTTP/1.1\r\n${headers}Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n`
}

/** Upgrades that must be refused: wrong credentials of every kind, a missing or wrong store, broken payloads. */
export function badUpgrades(ctx: HttpContext): RawInput[] {
  const withPayload = (label: string, payload: string): RawInput => ({
    label: `upgrade, ${label}`,
    chunks: [upgrade(ctx, syncTarget(ctx.storeId, payload))],
    refused: true,
  })
  const token = (label: string, json: string) => withPayload(`authToken ${label}`, `{"authToken":${json}}`)
  const length = ctx.credential.length
  const rawQuery = (label: string, query: string): RawInput => ({
    label: `upgrade, ${label}`,
    chunks: [upgrade(ctx, `/sync?${query}`)],
    refused: true,
  })
  return [
    token('wrong, same length', JSON.stringify('A'.repeat(length))),
    token('empty', '""'),
    token('8 KB', JSON.stringify('x'.repeat(8_192))),
    token(`${length} × é (same characters, more bytes)`, JSON.stringify('é'.repeat(length))),
    token(`${length / 2} × é (same bytes, fewer characters)`, JSON.stringify('é'.repeat(length / 2))),
    token('the credential plus one character', JSON.stringify(`${ctx.credential}x`)),
    token('the credential minus one character', JSON.stringify(ctx.credential.slice(0, -1))),
    token('a number', '12345'),
    token('null', 'null'),
    token('an object', '{"toString":1}'),
    token('an array holding the credential', JSON.stringify([ctx.credential])),
    token('true', 'true'),
    withPayload('no authToken', '{}'),
    withPayload(
      'authToken only under __proto__',
      JSON.stringify({ ['__proto__']: { authToken: ctx.credential } }),
    ),
    withPayload('payload not JSON', `{"authToken":"${ctx.credential}"`),
    withPayload('payload 1', '1'),
    withPayload('payload null', 'null'),
    withPayload('payload a string', JSON.stringify(ctx.credential)),
    withPayload('payload nested 2,000 deep', '['.repeat(2_000) + ']'.repeat(2_000)),
    rawQuery(
      'payload with malformed percent-encoding',
      `storeId=${ctx.storeId}&payload=%E0%A4%A&transport=ws`,
    ),
    rawQuery(
      'payload decoding to malformed percent-encoding',
      `storeId=${ctx.storeId}&payload=%25E0%25A4%25A`,
    ),
    rawQuery('payload a lone %', `storeId=${ctx.storeId}&payload=%&transport=ws`),
    rawQuery('no payload', `storeId=${ctx.storeId}&transport=ws`),
    rawQuery('no query', ''),
    rawQuery('good credential, no storeId', good(ctx).replace(/^storeId=[^&]*&/, '')),
    rawQuery('good credential, wrong storeId', good(ctx).replace(/^storeId=[^&]*/, 'storeId=other')),
    rawQuery('good credential, empty storeId', good(ctx).replace(/^storeId=[^&]*/, 'storeId=')),
    rawQuery(
      'good credential, storeId twice',
      good(ctx).replace(/^storeId=[^&]*/, 'storeId=other&storeId=$&'),
    ),
    {
      label: 'upgrade to http://[/sync',
      chunks: [upgrade(ctx, `http://[/sync?${good(ctx)}`)],
      refused: true,
    },
    { label: 'upgrade to //[', chunks: [upgrade(ctx, '//[')], refused: true },
    { label: 'upgrade to *', chunks: [upgrade(ctx, '*')], refused: true },
    { label: 'upgrade to /SYNC', chunks: [upgrade(ctx, `/SYNC?${good(ctx)}`)], refused: true },
    {
      label: 'upgrade, foreign Host',
      chunks: [upgrade(ctx, `/sync?${good(ctx)}`, `Host: evil.example\r\n${KEY}`)],
      refused: true,
    },
    {
      label: 'upgrade, foreign Origin',
      chunks: [
        upgrade(
          ctx,
          `/sync?${good(ctx)}`,
          `Host: 127.0.0.1:${ctx.port}\r\nOrigin: http://evil.example\r\n${KEY}`,
        ),
      ],
      refused: true,
    },
    { label: 'upgrade, no Host', chunks: [upgrade(ctx, `/sync?${good(ctx)}`, KEY)], refused: true },
  ]
}

/** Upgrades with a device program's or relay's credential that name no device, an ill-formed one, or this one. */
export function badDeviceUpgrades(ctx: HttpContext, credential: string, hostDeviceId: string): RawInput[] {
  const claims: [string, unknown][] = [
    ['no device', undefined],
    ['device 42', 42],
    ['device {}', {}],
    ['device ""', ''],
    ['a 65-character device', 'd'.repeat(65)],
    ['device a/b', 'a/b'],
    ['device with a line break', 'a\nb'],
    ['this machine’s own device', hostDeviceId],
  ]
  return claims.map(([label, deviceId]) => ({
    label: `upgrade, a device credential claiming ${label}`,
    chunks: [upgrade(ctx, syncTarget(ctx.storeId, JSON.stringify({ authToken: credential, deviceId })))],
    refused: true,
  }))
}

/** The query of a good handshake. */
const good = (ctx: HttpContext) =>
  syncTarget(ctx.storeId, JSON.stringify({ authToken: ctx.credential })).slice(6)

/** Upgrades with a good credential and broken WebSocket headers: answered or refused, never a crash. */
export function oddGoodUpgrades(ctx: HttpContext): RawInput[] {
  const host = `Host: 127.0.0.1:${ctx.port}\r\n`
  const target = `/sync?${good(ctx)}`
  return [
    {
      label: 'good upgrade, no Sec-WebSocket-Key',
      chunks: [upgrade(ctx, target, `${host}Sec-WebSocket-Version: 13\r\n`)],
    },
    {
      label: 'good upgrade, Sec-WebSocket-Version 99',
      chunks: [upgrade(ctx, target, `${host}${KEY.replace('13', '99')}`)],
    },
    {
      label: 'good upgrade in absolute form',
      chunks: [upgrade(ctx, `http://127.0.0.1:${ctx.port}${target}`)],
    },
    { label: 'good upgrade, Origin null', chunks: [upgrade(ctx, target, `${host}Origin: null\r\n${KEY}`)] },
  ]
}

/** Plain HTTP requests that are malformed, oversized or broken off. */
export function badRequests(ctx: HttpContext): RawInput[] {
  const host = `Host: 127.0.0.1:${ctx.port}\r\n`
  const auth = `Authorization: Bearer ${ctx.token}\r\n`
  const line = (label: string, requestLine: string, headers = host): RawInput => ({
    label,
    chunks: [`${requestLine}\r\n${headers}\r\n`],
  })
  const post = (label: string, path: string, body = '{}', headers = `${host}${auth}`): RawInput => ({
    label,
    chunks: [
      `POST ${path} HTTP/1.1\r\n${headers}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    ],
  })
  return [
    line('GET http://[/sync', 'GET http://[/sync HTTP/1.1'),
    line('GET http://[/', 'GET http://[/ HTTP/1.1'),
    line('GET //[', 'GET //[ HTTP/1.1'),
    line('GET *', 'GET * HTTP/1.1'),
    line('OPTIONS *', 'OPTIONS * HTTP/1.1'),
    line('GET /%00', 'GET /%00 HTTP/1.1'),
    line('GET /%E0%A4%A', 'GET /%E0%A4%A HTTP/1.1'),
    line('GET with a 10 KB path', `GET /${'a'.repeat(10_000)} HTTP/1.1`),
    line('BREW /', 'BREW / HTTP/1.1'),
    line('HTTP/9.9', 'GET / HTTP/9.9'),
    line('no version', 'GET /'),
    line('a blank request line', ''),
    line('GET / without Host', 'GET / HTTP/1.1', ''),
    line('GET / with a foreign Host', 'GET / HTTP/1.1', 'Host: evil.example\r\n'),
    line('GET / with two Hosts', 'GET / HTTP/1.1', `${host}Host: evil.example\r\n`),
    line('GET / with Origin null', 'GET / HTTP/1.1', `${host}Origin: null\r\n`),
    line('GET / with a 20 KB header', 'GET / HTTP/1.1', `${host}X-Big: ${'b'.repeat(20_000)}\r\n`),
    line('GET / with 3,000 headers', 'GET / HTTP/1.1', `${host}${'X-A: 1\r\n'.repeat(3_000)}`),
    line('GET / with a control character in a header', 'GET / HTTP/1.1', `${host}X-Bad: a\u0001b\r\n`),
    line('GET /api/stats', 'GET /api/stats HTTP/1.1', `${host}${auth}`),
    post('POST /api/%E0%A4%A', '/api/%E0%A4%A'),
    post('POST /api/%', '/api/%'),
    post('POST /api/__proto__', '/api/__proto__'),
    post('POST /api/constructor', '/api/constructor'),
    post('POST /api/toString', '/api/toString'),
    post('POST /api/stats?%zz', '/api/stats?%zz'),
    post(
      'POST /api/stats with a body nested 100,000 deep',
      '/api/stats',
      '['.repeat(100_000) + ']'.repeat(100_000),
    ),
    post(
      'POST /api/search with a query nested 10,000 deep',
      '/api/search',
      `{"query":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
    ),
    post('POST /api/stats with a __proto__ body', '/api/stats', '{"__proto__":{"x":1}}'),
    post(
      'POST /api/stats with a token of é',
      '/api/stats',
      '{}',
      `${host}Authorization: Bearer ${'é'.repeat(ctx.token.length)}\r\n`,
    ),
    post(
      'POST /api/stats with a 15 KB token',
      '/api/stats',
      '{}',
      `${host}Authorization: Bearer ${'t'.repeat(15_000)}\r\n`,
    ),
    {
      label: 'POST /api/stats, body cut short',
      chunks: [`POST /api/stats HTTP/1.1\r\n${host}${auth}Content-Length: 100\r\n\r\n{"a":`],
    },
    {
      label: 'POST /api/stats, a bad chunk size',
      chunks: [
        `POST /api/stats HTTP/1.1\r\n${host}${auth}Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      ],
    },
    {
      label: 'POST /api/stats, Content-Length and chunked',
      chunks: [
        `POST /api/stats HTTP/1.1\r\n${host}${auth}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
      ],
    },
    {
      label: 'POST /api/stats, Content-Length -1',
      chunks: [`POST /api/stats HTTP/1.1\r\n${host}${auth}Content-Length: -1\r\n\r\n`],
    },
    { label: 'a request line sent one byte at a time', chunks: [...`GET / HTTP/1.1\r\n${host}\r\n`] },
    {
      label: 'binary garbage',
      chunks: ['\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003'],
    },
    { label: 'nothing but line ends', chunks: ['\r\n\r\n\r\n\r\n'] },
  ]
}
