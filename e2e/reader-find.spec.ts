import { expect, test, type Page } from '@playwright/test'
import { watchPlainProse } from './support/plain-prose'
import { writeRepository } from './support/repository'
import { emptyDataDir, startWebHost, type RunningHost } from './support/web-host-process'

let host: RunningHost

test.beforeEach(async () => {
  host = await startWebHost(emptyDataDir())
})

test.afterEach(async () => {
  await host?.stop()
})

/**
 * A 1,000-message conversation (five of the reader's 200-message pages): every 90th message mentions the
 * migración once, every 270th twice, and one folded tool output holds it too. The test's own count of each is
 * what the find must say.
 */
const ID = 'roo:long-migration'
const LENGTH = 1_000
const TOOL_RESULT = 777
function message(ordinal: number): { kind: string; text: string; occurrences: number } {
  if (ordinal === TOOL_RESULT)
    return { kind: 'tool_result', text: `exit 0\nlog line ${ordinal}\nMigración aplicada.`, occurrences: 1 }
  if (ordinal % 270 === 45)
    return { kind: 'text', text: `Migración ${ordinal}: la MIGRACION del esquema terminó.`, occurrences: 2 }
  if (ordinal % 90 === 45)
    return { kind: 'text', text: `Paso ${ordinal}: la migración sigue su curso.`, occurrences: 1 }
  return { kind: 'text', text: `Paso ${ordinal}: nada que decir sobre el esquema.`, occurrences: 0 }
}
/** The find's occurrences in order, as message ordinals (one entry per occurrence). */
const OCCURRENCES = Array.from({ length: LENGTH }, (_, o) => o).flatMap((o) =>
  Array<number>(message(o).occurrences).fill(o),
)

type WrittenMessage = { kind: string; text: string; role?: string }

/**
 * Another program writes a conversation into the SQL repository, in one transaction; the bridge brings it to the
 * page. Message `i` is ordinal `i`, and takes turns between the user and the assistant unless it names its role.
 */
function writeConversation(id: string, title: string, at: number, messages: readonly WrittenMessage[]) {
  writeRepository(host.dataDir, (db) => {
    db.transaction(() => {
      db.prepare(
        `INSERT INTO conversations (id, source, source_id, title, created_at, updated_at, last_activity_at)
         VALUES (?, 'roo', ?, ?, ?, ?, ?)`,
      ).run(id, id.replace(/^roo:/, ''), title, at, at, at + messages.length)
      const insert = db.prepare(
        `INSERT INTO messages (id, conversation_id, ordinal, role, kind, created_at, text)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      messages.forEach(({ kind, text, role }, ordinal) =>
        insert.run(
          `${id}#${ordinal}`,
          id,
          ordinal,
          role ?? (ordinal % 2 ? 'assistant' : 'user'),
          kind,
          at + ordinal,
          text,
        ),
      )
    })()
  })
}

/** Opens the conversation another program wrote, once the bridge has brought it to the page. */
async function openWrittenConversation(page: Page, id: string) {
  await page.goto(host.url)
  await page
    .locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`)
    .click({ timeout: 60_000 })
  const reader = page.getByTestId('reader')
  await expect(reader).toHaveAttribute('data-state', 'ready')
  return reader
}

async function openLongConversation(page: Page) {
  // A long conversation through the bridge, then many moves each checked on screen: on a loaded two-core machine
  // that is more than the default minute.
  test.slow()
  writeConversation(
    ID,
    'Migración del esquema, paso a paso',
    Date.UTC(2026, 0, 5),
    Array.from({ length: LENGTH }, (_, ordinal) => {
      const { kind, text } = message(ordinal)
      return { kind, text, ...(kind === 'tool_result' && { role: 'tool' }) }
    }),
  )
  const reader = await openWrittenConversation(page, ID)
  // Only the first page is read: the rest are there to be found.
  await expect(reader.locator('.reader-more')).toBeVisible()
  return reader
}

/** The text of the current occurrence's highlight and of all the others, as the page paints them. */
const painted = (page: Page) =>
  page.evaluate(() => {
    // This file is typed for Node; the page's highlight registry, as far as this test reads it.
    type Registry = Map<string, Iterable<{ toString(): string }>>
    const registry = (globalThis as unknown as { CSS: { highlights: Registry } }).CSS.highlights
    const texts = (name: string) => [...(registry.get(name) ?? [])].map((range) => range.toString())
    return { current: texts('chronicle-find-current'), others: texts('chronicle-find') }
  })

/** The find is at occurrence `index` (0-based): the status says so, and its message is on screen and marked. */
async function expectAt(page: Page, index: number) {
  const status = page.getByTestId('find-status')
  await expect(status).toHaveText(`${index + 1} of ${OCCURRENCES.length}`)
  const current = page.locator(`[data-message-id="${ID}#${OCCURRENCES[index]}"]`)
  await expect(current).toHaveAttribute('data-find-current', 'true')
  await expect(current).toBeInViewport()
  await expect
    .poll(async () => (await painted(page)).current)
    .toEqual([expect.stringMatching(/^migraci[oó]n$/i)])
}

test('Ctrl+F walks every match of a long conversation, across pages not yet read, both ways', async ({
  page,
}) => {
  await openLongConversation(page)
  await page.keyboard.press('Control+f')
  const field = page.getByLabel('Find in conversation', { exact: true }).and(page.locator('input'))
  await expect(field).toBeFocused()
  // Without its accent and in another case, as the search view takes it.
  await field.fill('MIGRACION')
  await expectAt(page, 0)
  // Every occurrence on screen is painted: message 45 shows the current one, 135 (below it) likely the next.
  expect((await painted(page)).others.length).toBeGreaterThan(0)

  // Enter (or the down arrow) walks forward through all of them, past the first page's end.
  const tool = page.locator(`[data-message-id="${ID}#${TOOL_RESULT}"]`)
  for (let index = 1; index < OCCURRENCES.length; index++) {
    await page.keyboard.press(index % 3 === 0 ? 'ArrowDown' : 'Enter')
    await expectAt(page, index)
    // The folded tool output opened to show its occurrence.
    if (OCCURRENCES[index] === TOOL_RESULT) await expect(tool.locator('details')).toHaveAttribute('open', '')
  }
  // Shift+Enter and the up arrow walk back.
  await page.keyboard.press('Shift+Enter')
  await page.keyboard.press('ArrowUp')
  await expectAt(page, OCCURRENCES.length - 3)
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')
  // Past the last, back to the first.
  await expectAt(page, 0)
  await page.screenshot({ path: 'test-results/screenshots/reader-find.png' })
})

test('Shift+Enter from the first match jumps to the last one, in a page the reader never read', async ({
  page,
}) => {
  const reader = await openLongConversation(page)
  await page.keyboard.press('Control+f')
  await page.keyboard.type('migración')
  await expectAt(page, 0)
  await page.keyboard.press('Shift+Enter')
  await expectAt(page, OCCURRENCES.length - 1)
  expect(OCCURRENCES.at(-1)).toBeGreaterThan(800)

  // A word no message holds says so; a query the language refuses says why.
  const field = page.getByLabel('Find in conversation', { exact: true }).and(page.locator('input'))
  await field.fill('inexistente')
  await expect(page.getByTestId('find-status')).toHaveText('No matches')
  await field.fill('migración role:robot')
  await expect(page.getByTestId('find-status')).toContainText('role:robot is not a role')

  // Escape closes the find, clears the paint and gives the focus back to the messages.
  await field.fill('migración')
  await expect(page.getByTestId('find-status')).toHaveText(/of/)
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('find-bar')).toHaveCount(0)
  await expect(reader.getByTestId('reader-scroll')).toBeFocused()
  expect(await painted(page)).toEqual({ current: [], others: [] })
})

test("an occurrence deep in a long message is brought into view as the reader's own jump: what it brings is drawn as markdown at once", async ({
  page,
}) => {
  // Message 1 is 300 paragraphs long and ends with the only occurrence; 40 short messages follow. Opened at the
  // top, message 1 is in view, so the find does not jump to it: it scrolls within it to the occurrence, which brings
  // messages that were not drawn yet.
  const id = 'roo:long-message'
  const paragraphs = Array.from({ length: 300 }, (_, line) => `Línea ${line} del informe.`)
  const texts = ['¿Qué dice el informe?', [...paragraphs, 'Y al final, la aguja.'].join('\n\n')]
  for (let ordinal = 2; ordinal < 42; ordinal++) texts.push(`Respuesta corta ${ordinal}.`)
  writeConversation(
    id,
    'Un mensaje muy largo',
    Date.UTC(2026, 0, 6),
    texts.map((text) => ({ kind: 'text', text })),
  )
  const reader = await openWrittenConversation(page, id)
  await expect(reader.locator('.markdown:not(.plain)').first()).toBeVisible()

  const plainDrawn = await watchPlainProse(page)
  await page.keyboard.press('Control+f')
  await page.keyboard.type('aguja')
  await expect(page.getByTestId('find-status')).toHaveText('1 of 1')
  await expect.poll(async () => (await painted(page)).current).toEqual(['aguja'])
  // The occurrence is on screen, and the messages after the long one with it.
  const after = reader.locator(`[data-message-id="${id}#3"]`)
  await expect(after).toBeInViewport()
  expect(await plainDrawn()).toBe(0)
})

test('Ctrl+F outside the reader is left to the browser', async ({ page }) => {
  await openLongConversation(page)
  // Whether the app took the key: a listener added after the app's sees its decision.
  await page.evaluate(() => {
    interface Key {
      readonly key: string
      readonly ctrlKey: boolean
      readonly defaultPrevented: boolean
    }
    const page = globalThis as unknown as {
      findKeysSeen: boolean[]
      addEventListener(type: 'keydown', listener: (event: Key) => void): void
    }
    page.findKeysSeen = []
    page.addEventListener('keydown', (event) => {
      if (event.key === 'f' && event.ctrlKey) page.findKeysSeen.push(event.defaultPrevented)
    })
  })
  const seen = () => page.evaluate(() => (globalThis as unknown as { findKeysSeen: boolean[] }).findKeysSeen)

  // In the search view the reader is hidden: the key is the browser's.
  await page.getByRole('button', { name: 'Search' }).click()
  await page.keyboard.press('Control+f')
  expect(await seen()).toEqual([false])
  await expect(page.getByTestId('find-bar')).toHaveCount(0)

  // Back in the reader, the same key opens the find.
  await page.getByRole('button', { name: 'Conversations' }).click()
  await page.getByTestId('reader-scroll').focus()
  await page.keyboard.press('Control+f')
  expect(await seen()).toEqual([false, true])
  await expect(page.getByTestId('find-bar')).toBeVisible()
})
