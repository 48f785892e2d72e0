import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { chronicle } from './support/chronicle-cli'
import { importSamples } from './support/library'
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

// From the real samples: a 125-message Roo task (French), and a Claude Code session that started a sub-agent.
const ROO_TASK = 'roo:bc93a6f7-cd2e-4686-a832-46e3cd14d338'
const CLAUDE_SESSION = 'claude-code:5ed31c36-bca8-40fd-8d24-f1a1f0af7901'
const SUB_AGENT = `${CLAUDE_SESSION}/agent-c3d572ee`

/** Another program appends a message to the SQL repository directly: no Chronicle code on the writing side. */
function appendMessage(conversationId: string, text: string) {
  writeRepository(host.dataDir, (db) => {
    const { next } = db
      .prepare('SELECT MAX(ordinal) + 1 AS next FROM messages WHERE conversation_id = ?')
      .get(conversationId) as { next: number }
    db.prepare(
      "INSERT INTO messages (id, conversation_id, ordinal, role, kind, created_at, text) VALUES (?, ?, ?, 'assistant', 'text', ?, ?)",
    ).run(`${conversationId}#${next}`, conversationId, next, Date.now(), text)
  })
}

test('a search hit opens the conversation at its message, and Back returns to the results', async ({
  page,
}) => {
  await importSamples(page, host)
  await page.keyboard.press('Control+k')
  await page.getByLabel('Search conversations').fill('"brillamment accompli le rangement"')
  const hit = page.getByTestId('search-hit').first()
  await expect(hit).toContainText('brillamment')
  await hit.click()

  const reader = page.getByTestId('reader')
  await expect(reader).toHaveAttribute('data-state', 'ready')
  await expect(reader).toHaveAttribute('data-conversation-id', ROO_TASK)
  await expect(reader.getByTestId('reader-title')).toContainText('PHASE 1 : Diagnostic Système')
  // One of its last messages (named by its UI row's time): the reader scrolled to it and marks it.
  const target = page.locator(`[data-message-id="${ROO_TASK}#ui-1758149075324"]`)
  await expect(target).toBeInViewport()
  await expect(target).toHaveClass(/focused/)
  await expect(target).toContainText('La sous-tâche a brillamment accompli')
  await page.screenshot({ path: 'test-results/screenshots/reader.png' })
  // The theme follows the system's: the same view, dark.
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect(page.locator('html')).toHaveCSS('background-color', 'rgb(23, 24, 27)')
  await page.screenshot({ path: 'test-results/screenshots/reader-dark.png' })
  await page.emulateMedia({ colorScheme: 'light' })

  await page.getByRole('button', { name: '← Back to results' }).click()
  await expect(page.getByTestId('search-results')).toBeVisible()
  await expect(page.getByLabel('Search conversations')).toHaveValue('"brillamment accompli le rangement"')
})

test('tool calls and thinking start folded, sub-agents are linked both ways', async ({ page }) => {
  await importSamples(page, host)
  await page.locator(`[data-testid="conversation-row"][data-conversation-id="${CLAUDE_SESSION}"]`).click()
  const reader = page.getByTestId('reader')
  await expect(reader).toHaveAttribute('data-state', 'ready')

  // The first tool call names its tool and its pattern; the input shows only once opened.
  const call = reader.locator('[data-kind="tool_call"]').first()
  await expect(call.locator('summary')).toContainText('Glob')
  await expect(call.locator('summary')).toContainText('**/.markdownlint*')
  await expect(call.locator('pre')).toHaveCount(0)
  await call.locator('summary').click()
  await expect(call.locator('pre')).toContainText('"pattern": "**/.markdownlint*"')

  // The sub-agent is a link in the header, and the sub-agent links back.
  await reader.getByRole('button', { name: '↳ Warmup' }).click()
  await expect(reader).toHaveAttribute('data-conversation-id', SUB_AGENT)
  await expect(
    reader.getByRole('button', { name: /↑ Started by I keep getting mysterious build errors/ }),
  ).toBeVisible()
  await reader.getByRole('button', { name: /↑ Started by/ }).click()
  await expect(reader).toHaveAttribute('data-conversation-id', CLAUDE_SESSION)

  // Thinking is folded too (a Claude Code session with extended thinking).
  await page
    .locator('[data-testid="conversation-row"][data-conversation-id^="claude-code:03eb5929"]')
    .first()
    .click()
  const thinking = reader.locator('[data-kind="thinking"]').first()
  await expect(thinking.locator('summary')).toContainText(/Thinking · \d+ words/)
  await expect(thinking.locator('details')).not.toHaveAttribute('open', '')
})

test('messages scrolled past fast are drawn as plain text, then as markdown once the reader rests; opened or jumped to, as markdown at once', async ({
  page,
}) => {
  await importSamples(page, host)
  await page.locator(`[data-testid="conversation-row"][data-conversation-id="${CLAUDE_SESSION}"]`).click()
  const reader = page.getByTestId('reader')
  await expect(reader).toHaveAttribute('data-conversation-id', CLAUDE_SESSION)
  // The markdown module is in once a message is drawn with it.
  await expect(reader.locator('.markdown:not(.plain)').first()).toBeVisible()

  // Another conversation opened at rest: no message of it is ever drawn as plain text.
  let plainDrawn = await watchPlainProse(page)
  await page.locator(`[data-testid="conversation-row"][data-conversation-id="${ROO_TASK}"]`).click()
  await expect(reader).toHaveAttribute('data-state', 'ready')
  await expect(reader.getByTestId('reader-stats')).toContainText('125 messages')
  await expect(reader.locator('.markdown:not(.plain)').first()).toBeVisible()
  expect(await plainDrawn()).toBe(0)
  // Flung to the end a screenful a frame: the messages passing by are drawn as plain text...
  plainDrawn = await watchPlainProse(page)
  await page.evaluate(`new Promise((resolve) => {
    const scroller = document.querySelector('[data-testid="reader-scroll"]')
    let frames = 0
    const next = () => {
      scroller.scrollTop += scroller.clientHeight
      if (++frames < 40) requestAnimationFrame(next)
      else resolve()
    }
    requestAnimationFrame(next)
  })`)
  expect(await plainDrawn()).toBeGreaterThan(0)
  // ...and those in view as markdown once it stops.
  await expect(reader.locator('[data-message-id]').last()).toBeInViewport()
  await expect(reader.locator('.markdown.plain')).toHaveCount(0)
  await expect(reader.locator('.markdown:not(.plain)').first()).toBeVisible()
  // The reader's own jumps (Home, then End) draw like an opening, though the reader scrolls to get there. They come
  // after the fling and at rest, so no scroll of the user's overlaps the time a jump is marked as its own.
  plainDrawn = await watchPlainProse(page)
  await page.getByTestId('reader-scroll').focus()
  await page.keyboard.press('Home')
  await expect(reader.locator('[data-message-id]').first()).toBeInViewport()
  await page.keyboard.press('End')
  await expect(reader.locator('[data-message-id]').last()).toBeInViewport()
  expect(await plainDrawn()).toBe(0)
})

test('external SQL writes appear live: at the end they scroll in, scrolled up they wait behind a button', async ({
  page,
}) => {
  await importSamples(page, host)
  await page.locator(`[data-testid="conversation-row"][data-conversation-id="${ROO_TASK}"]`).click()
  const reader = page.getByTestId('reader')
  await expect(reader).toHaveAttribute('data-state', 'ready')
  await expect(reader.getByTestId('reader-stats')).toContainText('125 messages')

  // A reader at the end follows: the new message scrolls into view.
  await page.getByTestId('reader-scroll').focus()
  await page.keyboard.press('End')
  await expect(reader.locator('[data-message-id]').last()).toBeInViewport()
  appendMessage(
    ROO_TASK,
    'Written by another program, seen at the end:\n\n```ts\nconst answer: number = 42\n```',
  )
  const appended = page.locator(`[data-message-id="${ROO_TASK}#125"]`)
  await expect(appended).toBeInViewport({ timeout: 10_000 })
  // Its code is highlighted as the language it names.
  await expect(appended.locator('code.hljs.language-ts .hljs-keyword').first()).toHaveText('const')
  await expect(reader.getByTestId('reader-stats')).toContainText('126 messages')

  // A reader who scrolled up stays where they are; a button offers the new message.
  await page.keyboard.press('Home')
  await expect(reader.locator('[data-message-id]').first()).toBeInViewport()
  const scrollTop = await page.getByTestId('reader-scroll').evaluate((el) => el.scrollTop)
  appendMessage(ROO_TASK, 'Written by another program while the reader was scrolled up')
  const button = page.getByTestId('new-messages')
  await expect(button).toHaveText('1 new message ↓', { timeout: 10_000 })
  expect(await page.getByTestId('reader-scroll').evaluate((el) => el.scrollTop)).toBe(scrollTop)
  await button.click()
  await expect(page.locator(`[data-message-id="${ROO_TASK}#126"]`)).toBeInViewport()
  await expect(button).toHaveCount(0)

  // A retitle by another program shows in the reader's header and in the list.
  writeRepository(host.dataDir, (db) =>
    db.prepare('UPDATE conversations SET title = ? WHERE id = ?').run('Retitled outside', ROO_TASK),
  )
  await expect(reader.getByTestId('reader-title')).toHaveText('Retitled outside')
  await expect(
    page.locator(`[data-testid="conversation-row"][data-conversation-id="${ROO_TASK}"]`),
  ).toContainText('Retitled outside')
})

test('an image pasted into a conversation is shown in the reader', async ({ page }) => {
  // A Claude Code session with a screenshot (a 2×2 PNG), as the assistant writes it, imported by the CLI.
  const png =
    'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR42mP8z8Dwn4GBgYGJAQoAAHx4Af/KBkG5AAAAAElFTkSuQmCC'
  const projects = mkdtempSync(join(tmpdir(), 'chronicle-e2e-projects-'))
  mkdirSync(join(projects, '-work-demo'))
  const session = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'
  const line = {
    type: 'user',
    uuid: 'u1',
    parentUuid: null,
    sessionId: session,
    cwd: '/work/demo',
    timestamp: '2026-11-01T10:00:00.000Z',
    message: {
      role: 'user',
      content: [
        { type: 'text', text: 'Why is this button blue?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
      ],
    },
  }
  writeFileSync(join(projects, '-work-demo', `${session}.jsonl`), `${JSON.stringify(line)}\n`)
  await page.goto(host.url)
  chronicle(['import', projects, '--data-dir', host.dataDir])
  await page
    .locator(`[data-testid="conversation-row"][data-conversation-id="claude-code:${session}"]`)
    .click()
  const image = page.getByTestId('message-image')
  await expect(image).toHaveAttribute('data-state', 'shown')
  expect(
    await image.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
  ).toBe(2)
})
