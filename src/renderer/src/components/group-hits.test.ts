import { describe, expect, it } from 'vitest'
import type { SearchHit } from '../../../shared/domain'
import { groupHits } from './group-hits'

const hit = (kind: SearchHit['kind'], conversationId: string, messageId: string | null): SearchHit => ({
  kind,
  conversationId,
  messageId,
  ordinal: null,
  conversationTitle: conversationId,
  source: 'roo',
  workspace: null,
  role: null,
  createdAt: null,
  snippet: '',
  score: 0,
})

const ids = (hits: readonly SearchHit[]) => hits.map((h) => h.messageId ?? `title:${h.conversationId}`)

describe('groupHits', () => {
  it('keeps one group per conversation, ordered by its best hit, the rest in their order under it', () => {
    const groups = groupHits([
      hit('title', 'b', null),
      hit('message', 'a', 'a1'),
      hit('message', 'b', 'b1'),
      hit('message', 'a', 'a2'),
      hit('message', 'c', 'c1'),
      hit('message', 'b', 'b2'),
    ])
    expect(groups.map((g) => [g.conversationId, ids([g.best]), ids(g.more)])).toEqual([
      ['b', ['title:b'], ['b1', 'b2']],
      ['a', ['a1'], ['a2']],
      ['c', ['c1'], []],
    ])
  })

  it('gives nothing for no hits', () => {
    expect(groupHits([])).toEqual([])
  })
})
