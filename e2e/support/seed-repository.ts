/**
 * Seeds a data directory through the real repository (run as `node --import tsx e2e/support/seed-repository.ts DIR`),
 * so the end-to-end tests start from known conversations in several languages.
 */
import { openRepository } from '../../src/main/repository/repository'

const dataDir = process.argv[2]
if (!dataDir) throw new Error('usage: seed-repository.ts DATA_DIR')

const day = Date.UTC(2025, 4, 12)
const repository = openRepository({ dataDir })
await repository.write('import', async (writer) => {
  await writer.upsertConversations([
    {
      id: 'conv-pool',
      source: 'claude-code',
      sourceId: 'a1',
      title: 'Fix the connection pool leak',
      workspace: '/home/ada/api',
      model: 'claude-sonnet-4',
      createdAt: day,
      tokensIn: 1200,
      tokensOut: 800,
      cost: 0.42,
    },
    {
      id: 'conv-fr',
      source: 'roo',
      sourceId: 'b2',
      title: 'Réparer la base de données',
      workspace: '/home/ada/site',
      model: 'gpt-5',
      createdAt: day + 86_400_000,
      tokensIn: 300,
      tokensOut: 200,
      cost: 0.05,
    },
    {
      id: 'conv-zh',
      source: 'cline',
      sourceId: 'c3',
      title: '数据库迁移',
      workspace: '/home/ada/api',
      createdAt: day + 2 * 86_400_000,
    },
  ])
  await writer.upsertMessages([
    {
      id: 'm1',
      conversationId: 'conv-pool',
      ordinal: 0,
      role: 'user',
      text: 'The connection pool leaks under load; find the leak.',
    },
    {
      id: 'm2',
      conversationId: 'conv-pool',
      ordinal: 1,
      role: 'assistant',
      text: 'The pool never releases a client after a timeout. Release it in finally.',
    },
    {
      id: 'm3',
      conversationId: 'conv-fr',
      ordinal: 0,
      role: 'user',
      text: "L'élève a corrigé la requête du café.",
    },
    {
      id: 'm4',
      conversationId: 'conv-zh',
      ordinal: 0,
      role: 'user',
      text: '请把数据库连接池迁移到新的服务器。',
    },
  ])
})
await repository.close()
