/**
 * Images kept in images/ (images/image-store.ts) travel in the same packs as message bodies: which images a body
 * refers to, and where each image is stored on the sync worker (migration 0017's image_locations), by its SHA-256.
 */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../repository/database-schema'
import { upsertLocations } from './location-rows'

const SHA256 = /^[0-9a-f]{64}$/

/** One image of a v1.BodiesPacked event: like a body's location, keyed by the image's SHA-256. */
export interface ImageLocation {
  readonly sha256: string
  readonly bodyAddress: string
  readonly offset: number
  readonly length: number
}

export interface StoredImageLocation extends ImageLocation {
  readonly packAddress: string
}

/**
 * The SHA-256s of the kept images a message's content refers to (import/message-content.ts's image references),
 * wherever in the content they sit: a tool result carries its images inside its own blocks.
 */
export function imagesReferencedBy(content: string | null): string[] {
  if (content === null || !content.includes('"sha256"')) return []
  let parsed: unknown
  try {
    parsed = JSON.parse(content)
  } catch {
    return []
  }
  const found = new Set<string>()
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) walk(item)
    else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>
      if (record.type === 'image' && typeof record.sha256 === 'string' && SHA256.test(record.sha256))
        found.add(record.sha256)
      for (const inner of Object.values(record)) walk(inner)
    }
  }
  walk(parsed)
  return [...found]
}

/**
 * Records where a pack's images are: a v1.BodiesPacked of another machine's, or this machine's own (its upload, and
 * the event's echo), with `onlyReferenced`. Another machine's images are recorded whatever this machine holds: its
 * messages may be previews still, whose bodies will refer to them. This machine's own are recorded only while a
 * message here refers to them (migration 0018's message_images): one purged while its image was on its way would
 * otherwise keep the pack from removal for good.
 */
export async function recordImageLocations(
  trx: Transaction<Database> | Kysely<Database>,
  packAddress: string,
  images: readonly ImageLocation[],
  options: { readonly onlyReferenced?: boolean } = {},
): Promise<void> {
  await upsertLocations(
    trx,
    { table: 'image_locations', key: 'sha256' },
    packAddress,
    images.map((i) => ({ ...i, key: i.sha256 })),
    options.onlyReferenced
      ? sql`EXISTS (SELECT 1 FROM message_images WHERE sha256 = j.value ->> 0)`
      : undefined,
  )
}

/** Which of these images are stored on the worker already. */
export async function locatedImages(db: Kysely<Database>, sha256s: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>()
  for (let at = 0; at < sha256s.length; at += 500) {
    const rows = await db
      .selectFrom('image_locations')
      .select('sha256')
      .where('sha256', 'in', sha256s.slice(at, at + 500))
      .execute()
    for (const row of rows) found.add(row.sha256)
  }
  return found
}

/** Where one image is stored on the worker, if any machine announced it. */
export async function imageLocation(
  db: Kysely<Database>,
  sha256: string,
): Promise<StoredImageLocation | undefined> {
  const row = await db
    .selectFrom('image_locations')
    .select(['sha256', 'body_address', 'pack_address', 'offset', 'length'])
    .where('sha256', '=', sha256)
    .executeTakeFirst()
  return row && storedImageLocation(row)
}

/** Every image some machine announced a location for: a scan of the table's key, no more. */
export async function everyLocatedImage(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('image_locations').select('sha256').execute()
  return rows.map((row) => row.sha256)
}

/**
 * The located images a message here refers to, among `among` if given: those of the conversations active most
 * recently first, as bodies are fetched. Given a few, each is looked up by its own index entries, so the cost
 * follows them rather than the library's images (15,000 images: 38 ms for all, under 1 ms for ten); given most,
 * passing none is cheaper than the filter.
 */
export async function referencedImageLocations(
  db: Kysely<Database>,
  among?: readonly string[],
): Promise<StoredImageLocation[]> {
  if (among?.length === 0) return []
  const filter =
    among === undefined
      ? sql``
      : sql`WHERE i.sha256 IN (SELECT value FROM json_each(${JSON.stringify(among)}))`
  const { rows } = await sql<LocationRow>`
    SELECT l.sha256, l.body_address, l.pack_address, l."offset", l.length
    FROM image_locations AS l
    JOIN (
      SELECT i.sha256, max(c.last_activity_at) AS newest
      FROM message_images AS i
      JOIN messages AS m ON m.id = i.message_id
      JOIN conversations AS c ON c.id = m.conversation_id
      ${filter}
      GROUP BY i.sha256
    ) AS r ON r.sha256 = l.sha256
    ORDER BY r.newest DESC, l.sha256`.execute(db)
  return rows.map(storedImageLocation)
}

interface LocationRow {
  readonly sha256: string
  readonly body_address: string
  readonly pack_address: string
  readonly offset: number
  readonly length: number
}

const storedImageLocation = (row: LocationRow): StoredImageLocation => ({
  sha256: row.sha256,
  bodyAddress: row.body_address,
  packAddress: row.pack_address,
  offset: row.offset,
  length: row.length,
})
