/**
 * A small, realistic history for search tests: several sources, workspaces, roles, models and dates, a starred,
 * an archived and a deleted conversation, and French (accents), Russian and Chinese text.
 */
import type { SearchHit } from '../../../shared/domain'
import { parseSearchQuery, type ParsedSearch } from '../../../shared/search/search-query'
import type { Repository } from '../repository'
import type { SearchOptions, SearchPage } from '../sqlite/full-text-search'
import type { ConversationInput, MessageInput } from '../writes'

export const at = (iso: string): number => Date.parse(iso)

/** The instant of message zh-0, for testing before:/after: boundaries. */
export const ZH_FIRST_MESSAGE_AT = at('2025-01-15T00:00:00Z')

const conversations: ConversationInput[] = [
  {
    id: 'fr',
    source: 'roo',
    sourceId: 'task-fr',
    title: 'Refactoring du compilateur',
    workspace: '/home/ana/Projets/Compilateur',
    model: 'claude-sonnet-4-20250514',
    createdAt: at('2024-03-10T09:00:00Z'),
  },
  {
    id: 'ru',
    source: 'cline',
    sourceId: 'task-ru',
    title: 'Оптимизация базы данных',
    workspace: '/srv/shop-backend',
    model: 'gpt-4o',
    createdAt: at('2024-06-01T12:00:00Z'),
  },
  {
    id: 'zh',
    source: 'claude-code',
    sourceId: 'session-zh',
    title: '数据库迁移计划',
    workspace: '/Users/li/数据平台',
    model: 'claude-opus-4',
    createdAt: ZH_FIRST_MESSAGE_AT,
    lastActivityAt: at('2025-01-15T00:05:00Z'),
  },
  {
    id: 'k8s',
    source: 'chatgpt',
    sourceId: 'conv-k8s',
    title: 'Kubernetes deployment notes',
    model: 'gpt-4o-mini',
    createdAt: at('2025-02-01T08:00:00Z'),
  },
  {
    id: 'widgets',
    source: 'cline',
    sourceId: 'task-widgets',
    title: 'Widget factory',
    workspace: '/srv/widgets',
    model: 'gpt-4o',
    createdAt: at('2024-09-01T10:00:00Z'),
  },
  {
    id: 'gone',
    source: 'roo',
    sourceId: 'task-gone',
    title: 'Deleted kubernetes secrets',
    workspace: '/home/ana/Projets/Compilateur',
    createdAt: at('2024-03-12T09:00:00Z'),
  },
]

const texts: Record<string, [MessageInput['role'], string][]> = {
  fr: [
    ['user', "Pourquoi l'élève échoue-t-il à la compilation du module numérique ?"],
    ['assistant', 'Le compilateur signale une erreur de type : la fonction « résumé » attend une chaîne.'],
  ],
  ru: [
    ['user', 'Почему запрос к базе данных такой медленный?'],
    ['assistant', 'Добавьте индекс на столбец заказов, и запрос станет быстрее.'],
  ],
  zh: [
    ['user', '我们需要把数据库迁移到新的服务器，使用PostgreSQL替换MySQL。'],
    ['assistant', '迁移之前请先备份数据库，然后验证备份是否完整。'],
  ],
  k8s: [
    ['user', 'How do I roll back a kubernetes deployment?'],
    ['assistant', 'Run kubectl rollout undo deployment/web to roll back the deployment.'],
    ['tool', 'deployment.apps/web rolled back'],
  ],
  widgets: [
    ['user', 'widget widget widget: the widget cache is stale'],
    ['assistant', 'Clear the widget cache.'],
    ['user', 'The widget renders twice.'],
    ['assistant', 'Memoise the widget.'],
    ['user', 'Same widget text.'],
    ['assistant', 'Same widget text.'],
  ],
  gone: [['user', 'kubernetes secret rotation for the compilateur']],
}

const messages: MessageInput[] = conversations.flatMap((c) =>
  (texts[c.id] ?? []).map(([role, text], ordinal) => ({
    id: `${c.id}-${ordinal}`,
    conversationId: c.id,
    ordinal,
    role,
    text,
    createdAt: c.createdAt + ordinal * 60_000,
  })),
)

export async function seedSearchDataset(repo: Repository): Promise<void> {
  await repo.write('import', async (w) => {
    await w.upsertConversations(conversations)
    await w.upsertMessages(messages)
  })
  await repo.db.updateTable('conversations').set({ starred: 1 }).where('id', '=', 'fr').execute()
  await repo.db.updateTable('conversations').set({ archived: 1 }).where('id', '=', 'k8s').execute()
  await repo.db
    .updateTable('conversations')
    .set({ deleted_at: at('2024-04-01T00:00:00Z') })
    .where('id', '=', 'gone')
    .execute()
}

/** The search dataset with `texts` appended to its `widgets` conversation: the set-up of the prefix tests. */
export async function seedSearchDatasetWith(repo: Repository, texts: readonly string[]): Promise<void> {
  await seedSearchDataset(repo)
  await appendMessages(repo, 'widgets', texts)
}

/** A query as the search parses it; a query the parser refuses fails the test. */
export function parsedQuery(input: string, asYouType = false): ParsedSearch {
  const result = parseSearchQuery(input, { asYouType })
  if (!result.ok) throw new Error(`${input}: ${result.error.code}`)
  return result.value
}

/** Appends user messages to a conversation; they get higher rowids than every message already there. */
export async function appendMessages(
  repo: Repository,
  conversationId: string,
  texts: readonly string[],
): Promise<string[]> {
  const last = await repo.db
    .selectFrom('messages')
    .select((eb) => eb.fn.max('ordinal').as('ordinal'))
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst()
  const first = (last?.ordinal ?? -1) + 1
  const rows: MessageInput[] = texts.map((text, i) => ({
    id: `${conversationId}-${first + i}`,
    conversationId,
    ordinal: first + i,
    role: 'user',
    text,
  }))
  await repo.write('import', (w) => w.upsertMessages(rows))
  return rows.map((m) => m.id)
}

/** A hit's message id, or `title:<conversation>` for a title hit. */
export const hitLabel = (hit: SearchHit): string => hit.messageId ?? `title:${hit.conversationId}`

/** Every page of a search, following the cursors from `options.cursor` (or the first page) to the end. */
export async function searchAllPages(
  repo: Repository,
  query: string,
  options: SearchOptions = {},
): Promise<SearchPage[]> {
  const pages: SearchPage[] = []
  let cursor = options.cursor ?? null
  do {
    const result = await repo.search(query, { ...options, cursor })
    if (!result.ok) throw new Error(`${query}: ${result.error.code} ${result.error.message}`)
    pages.push(result.value)
    cursor = result.value.nextCursor
  } while (cursor && pages.length < 100)
  if (cursor) throw new Error(`${query}: still a cursor after 100 pages`)
  return pages
}
