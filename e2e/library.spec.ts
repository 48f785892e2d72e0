import { expect, test } from '@playwright/test'
import { importSamples } from './support/library'
import { readRepository, writeRepository } from './support/repository'
import { emptyDataDir, startWebHost, type RunningHost } from './support/web-host-process'

let host: RunningHost

test.beforeEach(async () => {
  host = await startWebHost(emptyDataDir())
})

test.afterEach(async () => {
  await host?.stop()
})

/** One conversation's row in the SQL repository, read as any other program would. */
function sqlConversation(id: string) {
  return readRepository(
    host.dataDir,
    (db) =>
      db
        .prepare(
          'SELECT title, source, starred, archived, deleted_at AS deletedAt FROM conversations WHERE id = ?',
        )
        .get(id) as
        | { title: string; source: string; starred: number; archived: number; deletedAt: number | null }
        | undefined,
  )
}

test('conversations imported by another process appear live, and browse by keyboard', async ({ page }) => {
  const added = await importSamples(page, host)
  expect(added).toBeGreaterThanOrEqual(8)
  await expect(page.getByTestId('shown-count')).toHaveText(String(added))
  await page.screenshot({ path: 'test-results/screenshots/conversations.png' })

  // Keyboard: focus the list, move down twice, and the second row is the selected one.
  await page.getByTestId('list-scroller').focus()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await expect(page.locator('[data-testid="conversation-row"][aria-selected="true"]')).toHaveCount(1)

  // Filters narrow the list to one source; grouping by workspace puts headings in.
  await page.getByLabel('Source').selectOption('roo')
  const rooRows = page.getByTestId('conversation-row')
  await expect(rooRows.first()).toContainText('roo')
  for (const text of await rooRows.allTextContents()) expect(text).toContain('roo')
})

/** How many conversations of each source are not deleted, as the Source menu counts them. */
function sqlCountsBySource() {
  const rows = readRepository(
    host.dataDir,
    (db) =>
      db
        .prepare('SELECT source, count(*) AS n FROM conversations WHERE deleted_at IS NULL GROUP BY source')
        .all() as { source: string; n: number }[],
  )
  return new Map(rows.map(({ source, n }) => [source, n]))
}

test('the filter menus count what another process imports and what is deleted, without being opened', async ({
  page,
}) => {
  await importSamples(page, host)
  const menu = page.getByLabel('Source')
  const option = (source: string) => menu.locator('option', { hasText: `${source} (` })
  const counts = sqlCountsBySource()
  expect(counts.size).toBeGreaterThanOrEqual(2)
  // The counts are asked when the page is idle after a change (use-idle-query.ts); nothing here opens the menu.
  for (const [source, n] of counts) await expect(option(source)).toHaveText(`${source} (${n})`)

  const row = page.getByTestId('conversation-row').first()
  const id = (await row.getAttribute('data-conversation-id')) ?? ''
  const source = sqlConversation(id)?.source ?? ''
  await row.click()
  await page.getByRole('button', { name: 'Delete' }).click()
  await expect(option(source)).toHaveText(`${source} (${(counts.get(source) ?? 0) - 1})`)
  await page.getByTestId('undo-bar').getByRole('button', { name: 'Undo' }).click()
  await expect(option(source)).toHaveText(`${source} (${counts.get(source) ?? 0})`)
})

test('rename, star, archive and delete are events that reach SQL, and delete is undoable', async ({
  page,
}) => {
  await importSamples(page, host)
  const first = page.getByTestId('conversation-row').first()
  const id = (await first.getAttribute('data-conversation-id')) ?? ''
  await first.click()
  await page.getByRole('button', { name: 'Rename' }).click()
  await page.getByLabel('New title').fill('Renamed in the end-to-end test')
  await page.getByLabel('New title').press('Enter')
  await expect(first).toContainText('Renamed in the end-to-end test')
  await first.getByRole('button', { name: 'Star' }).click()
  await expect
    .poll(() => sqlConversation(id), { timeout: 10_000 })
    .toMatchObject({
      title: 'Renamed in the end-to-end test',
      starred: 1,
    })

  await page.getByRole('tab', { name: 'Starred' }).click()
  await expect(page.getByTestId('conversation-row')).toHaveCount(1)
  await page.getByRole('tab', { name: 'All' }).click()

  // Delete, then undo: the row goes, comes back, and SQL follows both.
  const before = await page.getByTestId('shown-count').textContent()
  await page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`).click()
  await page.getByRole('button', { name: 'Delete' }).click()
  await expect(page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`)).toHaveCount(0)
  await expect.poll(() => sqlConversation(id)?.deletedAt ?? null, { timeout: 10_000 }).not.toBeNull()
  await page.getByTestId('undo-bar').getByRole('button', { name: 'Undo' }).click()
  await expect(page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`)).toHaveCount(1)
  await expect(page.getByTestId('shown-count')).toHaveText(before ?? '')
  await expect.poll(() => sqlConversation(id)?.deletedAt ?? null, { timeout: 10_000 }).toBeNull()

  // The audit trail shows the edits, made in the UI.
  await page.getByRole('button', { name: 'Audit trail' }).click()
  await expect(
    page.getByTestId('audit-row').filter({ hasText: 'Renamed in the end-to-end test' }),
  ).toHaveCount(1)
  await page.screenshot({ path: 'test-results/screenshots/audit-after-edits.png' })
})

test('a list flung to its end draws the rows where it stops, not placeholders', async ({ page }) => {
  // Another program writes 600 conversations: forty screens, so the list can be flung.
  writeRepository(host.dataDir, (db) => {
    const insert = db.prepare(
      `INSERT INTO conversations (id, source, source_id, title, created_at, updated_at, last_activity_at)
       VALUES (?, 'roo', ?, ?, ?, ?, ?)`,
    )
    db.transaction(() => {
      for (let i = 0; i < 600; i += 1)
        insert.run(`fling-${i}`, `fling-${i}`, `Flung conversation ${i}`, i, i, 1_000_000 + i)
    })()
  })
  await page.goto(host.url)
  await expect(page.getByTestId('shown-count')).toHaveText('600', { timeout: 30_000 })

  // One jump of many screens, as a dragged scrollbar makes: the oldest conversations are at the bottom.
  await page.getByTestId('list-scroller').evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
  const scroller = page.getByTestId('list-scroller')
  await expect(scroller.getByText('Flung conversation 0', { exact: true })).toBeVisible()
  await expect(scroller.locator('.conversation-row.placeholder')).toHaveCount(0)
})
