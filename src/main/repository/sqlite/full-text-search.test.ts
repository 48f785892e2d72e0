/** Search over a seeded history: the query language, filters, languages, and what a hit carries. */
import { beforeEach, describe, expect, it } from 'vitest'
import { SNIPPET_MARK_END, SNIPPET_MARK_START } from '../../../shared/domain'
import type { Repository } from '../repository'
import { useScratch } from '../test-support/scratch'
import { seedSearchDataset, ZH_FIRST_MESSAGE_AT } from '../test-support/search-dataset'
import type { SearchPage } from './full-text-search'

const scratch = useScratch()
let repo: Repository

beforeEach(async () => {
  repo = scratch.open()
  await seedSearchDataset(repo)
})

async function search(query: string): Promise<SearchPage> {
  const result = await repo.search(query, { limit: 200 })
  if (!result.ok) throw new Error(`${query}: ${result.error.code} ${result.error.message}`)
  return result.value
}

/**
 * Message ids of the message hits and `title:<conversation>` for the title hits, sorted: which rows matched, not
 * in what order. Labelled by the group they came in, so a hit in the wrong group does not pass.
 */
async function found(query: string): Promise<string[]> {
  const { titleHits, hits } = await search(query)
  return [
    ...titleHits.map((h) => `title:${h.conversationId}`),
    ...hits.map((h) => h.messageId ?? 'no id'),
  ].sort()
}

describe('terms', () => {
  it('finds one word', async () => {
    expect(await found('kubectl')).toEqual(['k8s-1'])
  })

  it('requires every word (AND), wherever they are in the message', async () => {
    expect(await found('deployment rollout')).toEqual(['k8s-1'])
    expect(await found('rollout deployment')).toEqual(['k8s-1'])
    expect(await found('deployment')).toEqual(['k8s-0', 'k8s-1', 'k8s-2', 'title:k8s'])
  })

  it('matches a phrase only in its order', async () => {
    expect(await found('"roll back"')).toEqual(['k8s-0', 'k8s-1'])
    expect(await found('"back roll"')).toEqual([])
  })

  it('matches a prefix against whole words, in messages and titles', async () => {
    expect(await found('kube*')).toEqual(['k8s-0', 'k8s-1', 'title:k8s'])
    expect(await found('rollou*')).toEqual(['k8s-1'])
    expect(await found('rollou')).toEqual([])
  })

  it('drops hits that contain an excluded word or phrase', async () => {
    expect(await found('deployment -kubectl')).toEqual(['k8s-0', 'k8s-2', 'title:k8s'])
    expect(await found('deployment -"roll back"')).toEqual(['k8s-2', 'title:k8s'])
  })

  it('reads FTS5 syntax in the input as plain words', async () => {
    expect(await found('undo AND deployment')).toEqual([])
    expect(await found('kubectl OR nothing')).toEqual([])
    expect(await found('(kubectl)')).toEqual(['k8s-1'])
  })
})

describe('filters', () => {
  it('workspace: is a case-insensitive substring of the workspace path', async () => {
    expect(await found('compilateur workspace:projets')).toEqual(['fr-1', 'title:fr'])
    expect(await found('compilateur workspace:shop')).toEqual([])
    expect(await found('deployment workspace:anything')).toEqual([])
  })

  it('source: keeps one source', async () => {
    expect(await found('deployment source:chatgpt')).toEqual(['k8s-0', 'k8s-1', 'k8s-2', 'title:k8s'])
    expect(await found('deployment source:cline')).toEqual([])
  })

  it('role: keeps messages of one role and drops title hits', async () => {
    expect(await found('deployment role:tool')).toEqual(['k8s-2'])
    expect(await found('deployment role:user')).toEqual(['k8s-0'])
  })

  it('model: is a case-insensitive substring of the model name', async () => {
    expect(await found('запрос model:GPT-4O')).toEqual(['ru-0', 'ru-1'])
    expect(await found('deployment model:4o-mini')).toEqual(['k8s-0', 'k8s-1', 'k8s-2', 'title:k8s'])
    expect(await found('widget model:opus')).toEqual([])
  })

  it('after: is inclusive and before: exclusive, to the millisecond', async () => {
    const exactly = new Date(ZH_FIRST_MESSAGE_AT).toISOString()
    const justAfter = new Date(ZH_FIRST_MESSAGE_AT + 1).toISOString()
    expect(await found(`数据库 after:${exactly}`)).toEqual(['title:zh', 'zh-0', 'zh-1'])
    expect(await found(`数据库 after:${justAfter}`)).toEqual(['title:zh', 'zh-1'])
    expect(await found(`数据库 before:${exactly}`)).toEqual([])
    expect(await found(`数据库 before:${justAfter}`)).toEqual(['zh-0'])
    expect(await found('数据库 after:2025-01-15 before:2025-01-16')).toEqual(['title:zh', 'zh-0', 'zh-1'])
    expect(await found('widget before:2024')).toEqual([])
  })

  it('is:starred and is:archived keep flagged conversations only', async () => {
    expect(await found('compilateur is:starred')).toEqual(['fr-1', 'title:fr'])
    expect(await found('widget is:starred')).toEqual([])
    expect(await found('kubectl is:archived')).toEqual(['k8s-1'])
    expect(await found('widget is:archived')).toEqual([])
  })

  it('never returns a deleted conversation, by message or by title', async () => {
    expect(await found('secret')).toEqual([])
    expect(await found('kubernetes')).toEqual(['k8s-0', 'title:k8s'])
    const { titleHits, hits } = await search('compilateur')
    expect([...titleHits, ...hits].map((h) => h.conversationId)).not.toContain('gone')
  })
})

describe('languages', () => {
  it('ignores accents both ways: plain query on accented text, accented query on plain text', async () => {
    expect(await found('eleve')).toEqual(['fr-0'])
    expect(await found('ÉLÈVE')).toEqual(['fr-0'])
    expect(await found('resume numerique')).toEqual([])
    expect(await found('resume')).toEqual(['fr-1'])
    expect(await found('kübectl')).toEqual(['k8s-1'])
  })

  it('finds Cyrillic words, whatever their case', async () => {
    expect(await found('базе')).toEqual(['ru-0'])
    expect(await found('ЗАПРОС')).toEqual(['ru-0', 'ru-1'])
    expect(await found('данных')).toEqual(['ru-0', 'title:ru'])
  })

  it('finds 2- and 3-character Chinese substrings inside sentences and titles', async () => {
    expect(await found('数据')).toEqual(['title:zh', 'zh-0', 'zh-1'])
    expect(await found('数据库')).toEqual(['title:zh', 'zh-0', 'zh-1'])
    expect(await found('服务器')).toEqual(['zh-0'])
    expect(await found('备份')).toEqual(['zh-1'])
    expect(await found('计划')).toEqual(['title:zh'])
    expect(await found('库迁')).toEqual(['title:zh', 'zh-0'])
  })

  it('finds Chinese next to Latin words written without spaces', async () => {
    expect(await found('使用')).toEqual(['zh-0'])
    expect(await found('PostgreSQL')).toEqual(['zh-0'])
    expect(await found('替换MySQL')).toEqual(['zh-0'])
  })
})

describe('hits', () => {
  it('a message hit names its message, conversation, source, workspace, role and time', async () => {
    // The page itself; "Did you mean" (in the same answer) has tests of its own.
    const { titleHits, hits, nextCursor } = await search('kubectl')
    expect({ titleHits, hits, nextCursor }).toEqual({
      titleHits: [],
      hits: [
        expect.objectContaining({
          kind: 'message',
          conversationId: 'k8s',
          messageId: 'k8s-1',
          ordinal: 1,
          conversationTitle: 'Kubernetes deployment notes',
          source: 'chatgpt',
          workspace: null,
          role: 'assistant',
          createdAt: Date.parse('2025-02-01T08:01:00Z'),
        }),
      ],
      nextCursor: null,
    })
  })

  it('a title hit has kind title, no message, and the whole title highlighted', async () => {
    const { titleHits, hits } = await search('factory')
    expect(hits).toEqual([])
    const [hit, ...rest] = titleHits
    expect(rest).toEqual([])
    expect(hit).toMatchObject({
      kind: 'title',
      conversationId: 'widgets',
      messageId: null,
      ordinal: null,
      role: null,
    })
    expect(hit?.snippet).toBe(`Widget ${SNIPPET_MARK_START}factory${SNIPPET_MARK_END}`)
  })

  it('snippets mark the match and carry no zero-width spaces, in Latin and in Chinese', async () => {
    const [latin] = (await search('kubectl')).hits
    expect(latin?.snippet).toContain(`${SNIPPET_MARK_START}kubectl${SNIPPET_MARK_END}`)
    const chinese = (await search('备份')).hits
    expect(chinese[0]?.snippet).toContain(`${SNIPPET_MARK_START}备份${SNIPPET_MARK_END}`)
    const migration = await search('迁移')
    const titles = migration.titleHits
    expect(titles.map((h) => h.conversationTitle)).toContain('数据库迁移计划')
    for (const hit of [latin, ...chinese, ...titles, ...migration.hits])
      expect(hit?.snippet).not.toContain('\u200b')
    for (const hit of titles) expect(hit.conversationTitle).not.toContain('\u200b')
  })
})

describe('title hits', () => {
  /** Seven more conversations titled with the word, from the most to the least relevant to a search for it. */
  async function addWidgetTitles(): Promise<void> {
    const titles = [
      'Widget widget widget',
      'Widget widget',
      'Widget',
      'Widget tips',
      'Widget tips and tricks',
      'Notes on the widget pipeline rewrite',
      'A very long title that mentions a widget only once among many other words',
    ]
    await repo.write('import', (w) =>
      w.upsertConversations(
        titles.map((title, i) => ({
          id: `t${i}`,
          source: 'roo',
          sourceId: `t${i}`,
          title,
          createdAt: 1_000 + i,
        })),
      ),
    )
  }

  it('come in their own group, never among the message hits', async () => {
    const { titleHits, hits } = await search('widget')
    expect(titleHits.map((h) => [h.kind, h.conversationId])).toEqual([['title', 'widgets']])
    expect(hits).toHaveLength(6)
    expect(hits.every((h) => h.kind === 'message' && h.messageId !== null)).toBe(true)
  })

  it('are at most five, best first, whatever the page limit', async () => {
    await addWidgetTitles()
    for (const limit of [1, 200]) {
      const result = await repo.search('widget', { limit })
      const titleHits = result.ok ? result.value.titleHits : []
      expect(titleHits.map((h) => h.conversationTitle)).toEqual([
        'Widget widget widget',
        'Widget widget',
        'Widget',
        'Widget factory',
        'Widget tips',
      ])
      const scores = titleHits.map((h) => h.score)
      expect(scores).toEqual([...scores].sort((a, b) => a - b))
    }
  })

  it('come on the first page only', async () => {
    await addWidgetTitles()
    const first = await repo.search('widget', { limit: 2 })
    const cursor = first.ok ? first.value.nextCursor : null
    expect(first.ok && first.value.titleHits).toHaveLength(5)
    expect(cursor).toEqual(expect.any(String))
    const second = await repo.search('widget', { limit: 2, cursor })
    expect(second).toMatchObject({ ok: true, value: { titleHits: [], hits: [{}, {}] } })
  })

  it('are none with a role: filter (a title has no role), while message hits remain', async () => {
    const { titleHits, hits } = await search('widget role:assistant')
    expect(titleHits).toEqual([])
    expect(hits.map((h) => h.messageId).sort()).toEqual(['widgets-1', 'widgets-3', 'widgets-5'])
  })
})

describe('as you type: the last word is a prefix until a space ends it', () => {
  async function typed(query: string): Promise<string[]> {
    const result = await repo.search(query, { limit: 200, asYouType: true })
    if (!result.ok) throw new Error(`${query}: ${result.error.code} ${result.error.message}`)
    const { titleHits, hits } = result.value
    return [
      ...titleHits.map((h) => `title:${h.conversationId}`),
      ...hits.map((h) => h.messageId ?? 'no id'),
    ].sort()
  }

  it('finds at every keystroke of a word what the finished word finds, in messages and titles', async () => {
    const whole = await found('kubernetes')
    expect(whole).toEqual(['k8s-0', 'title:k8s'])
    for (const step of ['kub', 'kube', 'kuber', 'kubern', 'kubernete', 'kubernetes']) {
      expect(await typed(step)).toEqual(expect.arrayContaining(whole))
    }
    expect(await typed('kube')).toEqual(await found('kube*'))
  })

  it('matches the earlier words whole and the one being typed as a prefix', async () => {
    expect(await typed('deployment rollou')).toEqual(['k8s-1'])
    expect(await typed('rollou deployment')).toEqual([])
  })

  it('reads the last word whole once a space follows it', async () => {
    expect(await typed('rollou')).toEqual(['k8s-1'])
    expect(await typed('rollou ')).toEqual([])
  })

  it('finds titles by the word being typed, accents and case ignored', async () => {
    expect(await typed('Kubernetes depl')).toEqual(['k8s-0', 'title:k8s'])
    expect(await typed('compila')).toEqual(['fr-0', 'fr-1', 'title:fr'])
    expect(await typed('ÉLÈ')).toEqual(['fr-0'])
  })

  it('is off unless asked: the field asks, a written query (and the command line) matches whole words', async () => {
    expect(await found('rollou')).toEqual([])
  })
})
