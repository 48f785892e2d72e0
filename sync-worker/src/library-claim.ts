/**
 * One small Durable Object per library (named by storeId) remembers who claimed it: the SHA-256 of the first token
 * presented, in the object's own SQLite storage. The first claim wins for good; the same token may claim again (a
 * machine retrying after a lost answer), another token is refused. Durable Objects run one call at a time, so two
 * racing claims cannot both win.
 */
import { DurableObject } from 'cloudflare:workers'
import { sameHash } from './bearer-token'

export type ClaimOutcome = 'claimed' | 'already-yours' | 'taken'
export type CheckOutcome = 'ok' | 'unclaimed' | 'wrong'

export class LibraryClaimDO extends DurableObject<unknown> {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env)
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS claim (
         id INTEGER PRIMARY KEY CHECK (id = 1),
         token_sha256 BLOB NOT NULL,
         claimed_at TEXT NOT NULL
       )`,
    )
  }

  claim(hash: ArrayBuffer): ClaimOutcome {
    const stored = this.storedHash()
    if (stored !== undefined) return sameHash(stored, hash) ? 'already-yours' : 'taken'
    this.ctx.storage.sql.exec(
      'INSERT INTO claim (id, token_sha256, claimed_at) VALUES (1, ?, ?)',
      hash,
      new Date().toISOString(),
    )
    return 'claimed'
  }

  check(hash: ArrayBuffer): CheckOutcome {
    const stored = this.storedHash()
    if (stored === undefined) return 'unclaimed'
    return sameHash(stored, hash) ? 'ok' : 'wrong'
  }

  private storedHash(): ArrayBuffer | undefined {
    const rows = this.ctx.storage.sql
      .exec<{ token_sha256: ArrayBuffer }>('SELECT token_sha256 FROM claim')
      .toArray()
    return rows[0]?.token_sha256
  }
}
