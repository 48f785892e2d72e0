/**
 * Pairing codes as a person pastes them. The bad inputs: every single changed character, a code cut short at
 * every length, extra characters at the end, another prefix, a newer format, a stray character, http:// to a public
 * host, a URL with a query, a fragment or a password, a non-https scheme, and (behind a valid checksum) a 16-byte
 * key and a store id with a slash. Each is refused with a PairingCodeError whose message says what happened and
 * never quotes the code.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { LibraryKey } from './library-key'
import {
  checkWorkerUrl,
  makePairingCode,
  PAIRING_CODE_PREFIX,
  PairingCodeError,
  parsePairingCode,
  type PairingCodeErrorCode,
} from './pairing-code'

const key = LibraryKey.generate()
const info = { workerUrl: 'https://chronicle-sync.someone.workers.dev/', storeId: 'lib-7f3a_9', key }
const code = makePairingCode(info)

function refusal(pasted: string): PairingCodeError {
  try {
    parsePairingCode(pasted)
  } catch (error) {
    if (error instanceof PairingCodeError) {
      const secret = pasted.slice(PAIRING_CODE_PREFIX.length, PAIRING_CODE_PREFIX.length + 8)
      if (secret.length === 8) expect(error.message).not.toContain(secret)
      return error
    }
    throw error
  }
  throw new Error('the pairing code was accepted')
}

const refusedWith = (pasted: string, code: PairingCodeErrorCode, message: RegExp) => {
  const error = refusal(pasted)
  expect(error.code).toBe(code)
  expect(error.message).toMatch(message)
}

/** A code with a valid checksum around a record this module would never write. */
function forged(keyBytes: Buffer, storeId: string, url: string): string {
  const record = Buffer.concat([
    Buffer.of(keyBytes.length),
    keyBytes,
    Buffer.of(storeId.length),
    Buffer.from(storeId),
    Buffer.from(url),
  ])
  const body = Buffer.concat([Buffer.of(record.length >> 8, record.length & 0xff), record])
  const check = createHash('sha256').update(PAIRING_CODE_PREFIX).update(body).digest().subarray(0, 4)
  return PAIRING_CODE_PREFIX + Buffer.concat([body, check]).toString('base64url')
}

describe('pairing codes', () => {
  it('round-trip the URL, store id and key, in 141 characters for a workers.dev URL', () => {
    expect(code.startsWith('chronicle-pair-1-')).toBe(true)
    expect(code.length).toBe(141)
    const parsed = parsePairingCode(code)
    expect(parsed.workerUrl).toBe(info.workerUrl)
    expect(parsed.storeId).toBe(info.storeId)
    expect(parsed.key.equals(key)).toBe(true)
    for (const url of [
      'http://127.0.0.1:8787/',
      'http://localhost:8787/',
      'http://[::1]:8787/',
      'https://sync.example.com/chronicle',
    ])
      expect(parsePairingCode(makePairingCode({ ...info, workerUrl: url })).workerUrl).toBe(url)
  })

  it('tolerates spaces, tabs and line breaks anywhere in a pasted code', () => {
    const wrapped = `  ${code.slice(0, 20)}\n${code.slice(20, 50)}\r\n\t${code.slice(50, 90)} ${code.slice(90)}\n`
    expect(parsePairingCode(wrapped).key.equals(key)).toBe(true)
  })

  it('refuses every single changed character after the prefix as changed or cut', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    for (let at = PAIRING_CODE_PREFIX.length; at < code.length; at++) {
      const other = alphabet[(alphabet.indexOf(code[at] ?? 'A') + 1 + (at % 63)) % 64] ?? 'A'
      const error = refusal(code.slice(0, at) + other + code.slice(at + 1))
      // A change in the two length bytes makes the code look cut short or too long; any other is a checksum miss.
      expect(['CHECKSUM_MISMATCH', 'TRUNCATED']).toContain(error.code)
      expect(error.message).toMatch(/changed|cut short|extra characters/)
    }
  })

  it('refuses a code cut short at every length as cut short, and extra characters as such', () => {
    for (let length = PAIRING_CODE_PREFIX.length; length < code.length; length++)
      refusedWith(code.slice(0, length), 'TRUNCATED', /cut short/)
    refusedWith(code + 'AAAA', 'CHECKSUM_MISMATCH', /extra characters/)
  })

  it('refuses another prefix, a newer format and a stray character', () => {
    refusedWith(
      code.replace('chronicle-pair-1-', 'chronicle-pear-1-'),
      'WRONG_PREFIX',
      /starts with chronicle-pair-1-/,
    )
    refusedWith('hello', 'WRONG_PREFIX', /not a Chronicle pairing code/)
    refusedWith(code.replace('-pair-1-', '-pair-2-'), 'UNSUPPORTED_VERSION', /format 2.*update Chronicle/)
    refusedWith(code.slice(0, 30) + '!' + code.slice(31), 'INVALID_CHARACTER', /position 31/)
    refusedWith(code.slice(0, 30) + '=' + code.slice(31), 'INVALID_CHARACTER', /position 31/)
  })

  it('refuses http:// to a public host, a query, a fragment, credentials and other schemes', () => {
    const bad: [string, RegExp][] = [
      ['http://chronicle-sync.someone.workers.dev/', /plain http is only for a worker on this machine/],
      ['http://127.0.0.2:8787/', /plain http/],
      ['http://localhost.evil.example/', /plain http/],
      ['https://sync.example.com/?token=abc', /query/],
      ['https://sync.example.com/?', /query/],
      ['https://sync.example.com/#frag', /fragment/],
      ['https://user:secret@sync.example.com/', /user name or password/],
      ['ftp://sync.example.com/', /https:\/\//],
      ['wss://sync.example.com/', /https:\/\//],
      ['sync.example.com', /not a URL/],
      [`https://example.com/${'a'.repeat(1100)}`, /longer than/],
    ]
    for (const [url, message] of bad) {
      expect(() => makePairingCode({ ...info, workerUrl: url }), url).toThrow(message)
      refusedWith(forged(key.exportBytes(), info.storeId, url), 'INVALID_URL', message)
    }
    expect(checkWorkerUrl('HTTPS://Sync.Example.com')).toBe('https://sync.example.com/')
  })

  it('refuses, behind a valid checksum, a 16-byte key, a bad store id and a URL not in normal form', () => {
    refusedWith(forged(Buffer.alloc(16, 1), info.storeId, info.workerUrl), 'INVALID_KEY', /16-byte key/)
    refusedWith(forged(key.exportBytes(), 'a/b', info.workerUrl), 'INVALID_STORE_ID', /store id/)
    refusedWith(forged(key.exportBytes(), '', info.workerUrl), 'INVALID_STORE_ID', /store id/)
    refusedWith(
      forged(key.exportBytes(), info.storeId, 'HTTPS://Sync.Example.com'),
      'INVALID_URL',
      /normal form/,
    )
    expect(parsePairingCode(forged(key.exportBytes(), info.storeId, info.workerUrl)).storeId).toBe(
      info.storeId,
    )
  })
})
