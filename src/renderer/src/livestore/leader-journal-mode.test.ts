import { describe, expect, it } from 'vitest'
import { staleStateJournals } from './leader-journal-mode'

describe('staleStateJournals', () => {
  const current = 'state1234.db'

  it("names the journals of other schemas' state databases, and nothing the store still uses", () => {
    const paths = [
      '/eventlog.db',
      '/eventlog.db-journal',
      '/state1234.db',
      '/state1234.db-journal',
      '/state0999.db-journal',
      '/state0042.db',
      '/state0042.db-journal',
    ]
    expect(staleStateJournals(paths, current)).toEqual(['/state0999.db-journal', '/state0042.db-journal'])
  })

  it('leaves alone what only looks like one: a database, a name in a folder, another suffix', () => {
    const paths = [
      '/state0999.db',
      '/archive/state0999.db-journal',
      '/state0999.db-wal',
      '/mystate0999.db-journal',
    ]
    expect(staleStateJournals(paths, current)).toEqual([])
  })
})
