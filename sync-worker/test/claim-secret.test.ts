/**
 * A deployed worker with a claim secret (`wrangler secret put CLAIM_SECRET`) in real workerd: a new library is
 * claimed only with the secret, while the token that claimed a library may claim it again without it (a retry, a
 * machine joining) and syncs as before. Bad input, each named: no secret, a wrong one, one that differs by a byte.
 */
import { describe, expect, it } from 'vitest'
import { useLocalWorker } from './use-local-worker'

const SECRET = 'operator-secret-3f9a1c7e'
const TOKEN = 'a'.repeat(43)
const local = useLocalWorker('claim-secret', { claimSecret: SECRET })

const claim = (storeId: string, secret?: string, token = TOKEN) =>
  fetch(`${local.worker().url}/libraries/${storeId}/claim`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(secret !== undefined && { 'x-chronicle-claim-secret': secret }),
    },
  })

describe('a worker with a claim secret', () => {
  it.each([
    ['no secret', undefined],
    ['a wrong secret', 'guess'],
    ['a secret one byte off', `${SECRET.slice(0, -1)}f`],
  ])('refuses a new library with %s (403), and claims nothing', async (_, secret) => {
    const answer = await claim('library-unclaimed', secret)
    expect(answer.status).toBe(403)
    const body = (await answer.json()) as { error: string; message: string }
    expect(body.error).toBe('claim_secret_required')
    expect(body.message).toContain('--claim-secret -')
    expect(JSON.stringify(body)).not.toContain(SECRET)
  })

  it('claims with the secret; the same token claims again without it; another token is still refused', async () => {
    expect((await claim('library-secret', SECRET)).status).toBe(201)
    expect((await claim('library-secret')).status).toBe(200)
    expect((await claim('library-secret', undefined, 'b'.repeat(43))).status).toBe(409)
    expect((await claim('library-secret', SECRET, 'b'.repeat(43))).status).toBe(409)
    // The first refusals claimed nothing: with the secret, that library is still new.
    expect((await claim('library-unclaimed', SECRET)).status).toBe(201)
  })
})
