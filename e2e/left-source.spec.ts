/**
 * A message its source no longer holds (a Roo task condensed, an older export imported) stays in the reader, in
 * order and searchable, with a quiet mark. The marks are written with SQL, as the import engine writes them, so
 * this tests the reader alone.
 */
import { expect, test, type Page } from '@playwright/test'
import { writeRepository } from './support/repository'
import { seededDataDir, startWebHost, type RunningHost } from './support/web-host-process'

let host: RunningHost

const ID = 'roo:condensed-task'
const started = Date.UTC(2025, 4, 20, 8)
const condensed = Date.UTC(2025, 5, 3, 12)
const condensedAgain = Date.UTC(2025, 6, 1, 12)
/**
 * A Roo task condensed twice: messages 0 and 1 gone at the first condensation, 3 at the second, 2, 4 and 5 still
 * in the task's files. Messages 0 and 1 make one run (one visible mark), 3 a run of its own.
 */
const MESSAGES: readonly { role: string; text: string; leftSourceAt: number | null }[] = [
  {
    role: 'user',
    text: 'Range les tâches du dossier archive, sans rien supprimer.',
    leftSourceAt: condensed,
  },
  {
    role: 'assistant',
    text: 'Attention zigzagueur : il y a des milliers de tâches, je les range par lot.',
    leftSourceAt: condensed + 1_000,
  },
  { role: 'user', text: 'Continue avec le lot suivant.', leftSourceAt: null },
  { role: 'assistant', text: 'Le deuxième lot est rangé.', leftSourceAt: condensedAgain },
  { role: 'user', text: 'Merci, fais le dernier.', leftSourceAt: null },
  { role: 'assistant', text: 'Tout est rangé.', leftSourceAt: null },
]

test.beforeEach(async () => {
  const dataDir = seededDataDir()
  writeRepository(dataDir, (db) => {
    db.prepare(
      "INSERT INTO conversations (id, source, source_id, title, created_at, updated_at, last_activity_at) VALUES (?, 'roo', 'condensed-task', 'Ranger les tâches archivées', ?, ?, ?)",
    ).run(ID, started, started, Date.UTC(2026, 0, 1))
    const insert = db.prepare(
      "INSERT INTO messages (id, conversation_id, ordinal, role, kind, created_at, text, left_source_at) VALUES (?, ?, ?, ?, 'text', ?, ?, ?)",
    )
    MESSAGES.forEach((m, i) =>
      insert.run(`${ID}#${i}`, ID, i, m.role, started + i * 60_000, m.text, m.leftSourceAt),
    )
  })
  host = await startWebHost(dataDir)
})

test.afterEach(async () => {
  await host?.stop()
})

const messageAt = (page: Page, ordinal: number) => page.locator(`[data-message-id="${ID}#${ordinal}"]`)

async function openTask(page: Page) {
  await page.goto(host.url)
  await page.locator(`[data-testid="conversation-row"][data-conversation-id="${ID}"]`).click()
  await expect(page.getByTestId('reader')).toHaveAttribute('data-state', 'ready')
  await expect(messageAt(page, 5)).toBeVisible()
}

test('messages gone from their source are shown in order with a quiet mark, once per run', async ({
  page,
}) => {
  await openTask(page)
  const messages = page.getByTestId('reader').getByTestId('message')
  await expect(messages).toHaveCount(MESSAGES.length)
  for (const [i, m] of MESSAGES.entries()) await expect(messages.nth(i)).toContainText(m.text)

  // The first of each run shows the mark as text, with an explanation for the pointer and for screen readers.
  for (const first of [0, 3]) {
    await expect(messageAt(page, first)).toHaveAttribute('data-left-source', 'first')
    const note = messageAt(page, first).getByTestId('left-source-note')
    await expect(note).toBeVisible()
    await expect(note).toHaveText(/^No longer in Roo Code since .*2025$/)
    await expect(note).toHaveAttribute('title', /condensed/)
    await expect(note).toHaveAccessibleDescription(/no longer hold this one/)
  }
  // Two condensations on two days: each run carries its own date.
  expect(await messageAt(page, 0).getByTestId('left-source-note').textContent()).not.toBe(
    await messageAt(page, 3).getByTestId('left-source-note').textContent(),
  )

  // The run's later message shares the first one's mark: the same words for screen readers, none on screen.
  await expect(messageAt(page, 1)).toHaveAttribute('data-left-source', 'continued')
  const shared = messageAt(page, 1).getByTestId('left-source-note')
  await expect(shared).toHaveClass('visually-hidden')
  await expect(shared).toHaveText(/^No longer in Roo Code since /)
  expect((await shared.boundingBox())?.height ?? 0).toBeLessThanOrEqual(1)

  // The messages the task still holds carry no mark.
  for (const kept of [2, 4, 5]) {
    await expect(messageAt(page, kept)).not.toHaveAttribute('data-left-source', /.*/)
    await expect(messageAt(page, kept).getByTestId('left-source-note')).toHaveCount(0)
  }
  await expect(page.getByTestId('reader').getByRole('note')).toHaveCount(3)

  await page.screenshot({ path: 'test-results/screenshots/left-source.png' })
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect(page.locator('html')).toHaveCSS('background-color', 'rgb(23, 24, 27)')
  await expect(messageAt(page, 0).getByTestId('left-source-note')).toBeVisible()
  await page.screenshot({ path: 'test-results/screenshots/left-source-dark.png' })
})

test('a message gone from its source is found by search and opened at its place', async ({ page }) => {
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Search' }).click()
  await page.getByLabel('Search conversations').fill('zigzagueur')
  const hit = page.getByTestId('search-hit').first()
  await expect(hit).toContainText('zigzagueur')
  await hit.click()
  await expect(page.getByTestId('reader')).toHaveAttribute('data-conversation-id', ID)
  await expect(messageAt(page, 1)).toBeInViewport()
  await expect(messageAt(page, 1)).toHaveClass(/focused/)
  await expect(messageAt(page, 1)).toHaveAttribute('data-left-source', 'continued')
})
