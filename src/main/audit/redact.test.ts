/**
 * Secret masking: one key or token of each well-known kind is masked and counted; text that only resembles a
 * secret (commit hashes, UUIDs, paths, ordinary prose, base64 of repetitive data) is left alone.
 */
import { describe, expect, it } from 'vitest'
import { redactSecrets } from './redact'

describe('redactSecrets', () => {
  it.each([
    ['openai-key', 'key sk-proj-Abc123Def456Ghi789Jkl012Mno345 here'],
    ['anthropic-key', 'ANTHROPIC_API_KEY=sk-ant-api03-AbCdEf0123456789_xyzXYZ-0987'],
    ['github-token', 'token ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8 ok'],
    ['github-token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'],
    ['aws-access-key', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE'],
    ['google-api-key', 'AIzaSyA-1234567890abcdefghijklmnopqrstu'],
    ['slack-token', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKl'],
    ['stripe-key', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
    ['jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    [
      'private-key',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----',
    ],
    ['high-entropy', 'secret: Zx9Qm2Lp7Rt4Vw8Yb3Nc6Hd1Jf5Kg0Sa'],
  ])('masks a %s', (kind, text) => {
    const { text: masked, masked: count } = redactSecrets(text)
    expect(masked).toContain(`[REDACTED ${kind}]`)
    expect(count).toBe(1)
  })

  it('keeps the words around a bearer token', () => {
    expect(redactSecrets('Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123').text).toBe(
      'Authorization: Bearer [REDACTED bearer-token]',
    )
  })

  it.each([
    'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed it',
    'id 123e4567-e89b-12d3-a456-426614174000',
    '/Users/dain/workspace/danieldemmel.me-next/src/components/Header.tsx',
    'The connection pool now waits for idle connections before closing them.',
    'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==',
    'useEffectEventHandlerWithDependencyArrayForTheWin',
  ])('leaves alone: %s', (text) => {
    expect(redactSecrets(text)).toEqual({ text, masked: 0 })
  })
})
