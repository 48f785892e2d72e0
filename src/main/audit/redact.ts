/**
 * Masks text that looks like a secret: keys and tokens with a well-known provider prefix, private key blocks,
 * bearer tokens and JWTs, and long random-looking strings (high entropy and mixed character classes, so commit
 * hashes, UUIDs and ordinary words stay). A masked secret becomes `[REDACTED kind]`.
 */

interface SecretPattern {
  readonly kind: string
  readonly pattern: RegExp
}

// Prefixes as the providers document them; the lengths are lower bounds, so a longer key is masked whole.
const PATTERNS: readonly SecretPattern[] = [
  {
    kind: 'private-key',
    pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  },
  { kind: 'anthropic-key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  { kind: 'openai-key', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { kind: 'stripe-key', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { kind: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g },
  { kind: 'gitlab-token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { kind: 'aws-access-key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}/g },
  { kind: 'slack-token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: 'huggingface-token', pattern: /\bhf_[A-Za-z0-9]{30,}/g },
  { kind: 'npm-token', pattern: /\bnpm_[A-Za-z0-9]{36}/g },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { kind: 'bearer-token', pattern: /\b(Bearer\s+)[A-Za-z0-9._~+/-]{20,}=*/g },
]

/** Candidates for the entropy test: long runs of key-like characters. */
const RANDOM_LOOKING = /[A-Za-z0-9+/_-]{32,}={0,2}/g
const MIN_BITS_PER_CHAR = 4.2

function bitsPerChar(text: string): number {
  const counts = new Map<string, number>()
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let bits = 0
  for (const n of counts.values()) {
    const p = n / text.length
    bits -= p * Math.log2(p)
  }
  return bits
}

/** Random keys mix lower case, upper case and digits; hex digests and identifiers do not. */
const looksRandom = (token: string): boolean =>
  /[a-z]/.test(token) &&
  /[A-Z]/.test(token) &&
  /[0-9]/.test(token) &&
  !token.includes('REDACTED') &&
  bitsPerChar(token) >= MIN_BITS_PER_CHAR

export interface Redaction {
  readonly text: string
  readonly masked: number
}

export function redactSecrets(text: string): Redaction {
  let masked = 0
  let out = text
  for (const { kind, pattern } of PATTERNS) {
    out = out.replace(pattern, (_match, lead: unknown) => {
      masked += 1
      return `${typeof lead === 'string' ? lead : ''}[REDACTED ${kind}]`
    })
  }
  out = out.replace(RANDOM_LOOKING, (token) => {
    if (!looksRandom(token)) return token
    masked += 1
    return '[REDACTED high-entropy]'
  })
  return { text: out, masked }
}
