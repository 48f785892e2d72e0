import type { Repository } from '../../repository/repository'

/** Writes, as sync does, a conversation last active at `at` whose one message refers to these kept images. */
export async function referToImages(
  repository: Repository,
  id: string,
  at: number,
  images: readonly { readonly sha256: string; readonly bytes: number }[],
): Promise<void> {
  await repository.write('sync', async (w) => {
    await w.upsertConversations([{ id, source: 'claude-code', sourceId: id, title: id, createdAt: at }])
    await w.upsertMessages([
      {
        id: `${id}#0`,
        conversationId: id,
        ordinal: 0,
        role: 'user',
        createdAt: at,
        text: 'Screenshots',
        content: images.map(({ sha256, bytes }) => ({
          type: 'image',
          omitted: true,
          mediaType: 'image/png',
          bytes,
          sha256,
        })),
      },
    ])
  })
}
