/**
 * One row per piece of work: sub-agents fold under the session that started them, with their count and cost in
 * its row, and expand by mouse or keyboard; trivial ones (Claude Code's Warmup agents) are hidden behind a toggle
 * that says how many; sorting, grouping, filters and search still reach every child. On the real samples (one
 * session with a Warmup agent beside it) and a project written in Claude Code's newer layout
 * (`<session>/subagents/agent-<id>.jsonl`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { chronicle, SAMPLE_SOURCES } from './support/chronicle-cli'
import { reloadWhenPersisted } from './support/library'
import { readRepository } from './support/repository'
import { answering } from './support/search'
import { emptyDataDir, startWebHost, type RunningHost } from './support/web-host-process'

let host: RunningHost
let fixture: string

test.beforeEach(async () => {
  host = await startWebHost(emptyDataDir())
  fixture = writeProject()
})

test.afterEach(async () => {
  await host?.stop()
  rmSync(fixture, { recursive: true, force: true })
})

const SESSION = '6e571e00-0000-4000-8000-000000000001'
const PARENT = `claude-code:${SESSION}`
const EXPLORE = `${PARENT}/agent-explore`
const REVIEW = `${PARENT}/agent-review`
const WARM = `${PARENT}/agent-warm`
const SAMPLE_SESSION = 'claude-code:5ed31c36-bca8-40fd-8d24-f1a1f0af7901'
const SAMPLE_WARMUP = `${SAMPLE_SESSION}/agent-c3d572ee`
const SONNET = 'claude-sonnet-4-5-20250929'
const HAIKU = 'claude-haiku-4-5-20251001'

interface Turn {
  readonly type: 'user' | 'assistant'
  readonly content: unknown
  readonly model?: string
  readonly cwd?: string
  readonly outputTokens?: number
}

/**
 * Lines in Claude Code's envelope, a minute apart from `minute`; a sub-agent's carry the session id,
 * isSidechain and their agent id.
 */
function sessionLines(agentId: string | null, minute: number, turns: readonly Turn[]): string[] {
  let parent: string | null = null
  return turns.map((turn, i) => {
    const uuid = `${agentId ?? 'main'}-${i}`
    const usage = {
      input_tokens: 20,
      output_tokens: turn.outputTokens ?? 10,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    }
    const message =
      turn.type === 'user'
        ? { role: 'user', content: turn.content }
        : { id: `msg_${uuid}`, model: turn.model ?? SONNET, role: 'assistant', content: turn.content, usage }
    const line = {
      parentUuid: parent,
      isSidechain: agentId !== null,
      ...(agentId !== null && { agentId }),
      userType: 'external',
      cwd: turn.cwd ?? '/work/nesting',
      sessionId: SESSION,
      version: '2.1.17',
      type: turn.type,
      message,
      uuid,
      timestamp: new Date(Date.UTC(2026, 10, 1, 10, minute + i)).toISOString(),
    }
    parent = uuid
    return JSON.stringify(line)
  })
}

const user = (content: unknown): Turn => ({ type: 'user', content })
const assistant = (content: unknown, more: Omit<Turn, 'type' | 'content'> = {}): Turn => ({
  type: 'assistant',
  content,
  ...more,
})
const toolUse = (id: string) => [{ type: 'tool_use', id, name: 'Grep', input: { pattern: 'nest' } }]
const toolResult = (id: string) => [{ type: 'tool_result', tool_use_id: id, content: 'src/list.ts:1: nest' }]
const text = (t: string) => [{ type: 'text', text: t }]

/**
 * A session that started three sub-agents: one that spent nearly all of the money ($150 of Sonnet output), one
 * on another model in another folder, and a Warmup.
 */
function writeProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'h4-nesting-fixture-'))
  const dir = join(root, 'projects', '-work-nesting')
  mkdirSync(join(dir, SESSION, 'subagents'), { recursive: true })
  const write = (name: string, lines: string[]) => writeFileSync(join(dir, name), lines.join('\n') + '\n')
  write(
    `${SESSION}.jsonl`,
    sessionLines(null, 0, [user('Plan the nesting work'), assistant(text('Planned.'))]),
  )
  write(
    `${SESSION}/subagents/agent-explore.jsonl`,
    sessionLines('explore', 10, [
      user('Explore the list code'),
      assistant(toolUse('toolu_e')),
      user(toolResult('toolu_e')),
      assistant(text('The virtualiser draws nested rows under their parent (nestingquokka).'), {
        outputTokens: 10_000_000,
      }),
    ]),
  )
  writeFileSync(join(dir, SESSION, 'subagents', 'agent-explore.meta.json'), '{"agentType":"Explore"}')
  const elsewhere = { model: HAIKU, cwd: '/work/other' }
  write(
    `${SESSION}/subagents/agent-review.jsonl`,
    sessionLines('review', 20, [
      user('Review the change'),
      assistant(toolUse('toolu_r'), elsewhere),
      { ...user(toolResult('toolu_r')), cwd: '/work/other' },
      assistant(text('Looks right.'), elsewhere),
    ]),
  )
  write(
    `${SESSION}/subagents/agent-warm.jsonl`,
    sessionLines('warm', 5, [user('Warmup'), assistant(text('Ready to help.'))]),
  )
  return root
}

/** The real CLI imports the project (and the samples) from another process; the page shows them live. */
async function importAll(page: Page, withSamples = true): Promise<void> {
  await page.goto(host.url)
  await expect(page.getByTestId('empty-list')).toBeVisible({ timeout: 30_000 })
  const summary = JSON.parse(
    chronicle([
      'import',
      ...(withSamples ? SAMPLE_SOURCES : []),
      join(fixture, 'projects'),
      '--json',
      '--data-dir',
      host.dataDir,
    ]),
  ) as { conversations: { added: number } }
  await expect(page.getByTestId('shown-count')).toHaveText(String(summary.conversations.added), {
    timeout: 20_000,
  })
}

const rowOf = (page: Page, id: string) =>
  page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`)
const drawnIds = (page: Page) =>
  page
    .getByTestId('conversation-row')
    .evaluateAll((rows) =>
      rows.map((row) => `${row.getAttribute('data-depth')}:${row.getAttribute('data-conversation-id')}`),
    )

test('sub-agents fold under their session with their cost, and Warmups are hidden behind a counted toggle', async ({
  page,
}) => {
  await importAll(page)
  const parent = rowOf(page, PARENT)
  const toggle = parent.getByTestId('children-toggle')
  // Collapsed: two sub-agents that did work, the Warmup not counted, no child drawn.
  await expect(toggle).toHaveText('▸ 2 sub-agents')
  await expect(toggle).toHaveAttribute('aria-expanded', 'false')
  for (const id of [EXPLORE, REVIEW, WARM, SAMPLE_WARMUP]) await expect(rowOf(page, id)).toHaveCount(0)
  // The session's own responses cost a fraction of a cent; its row carries its sub-agents' $150.
  await expect(parent.getByTestId('conversation-cost')).toHaveText(/^\$150\.0\d$/)
  // The sample's session has only its Warmup: nothing to expand while Warmups are hidden.
  await expect(rowOf(page, SAMPLE_SESSION).getByTestId('children-toggle')).toHaveCount(0)
  const trivial = page.getByTestId('trivial-toggle')
  await expect(trivial).toContainText('Show 2 trivial sub-agents')
  await expect(trivial).toContainText('(2 hidden)')

  await toggle.click()
  await expect(toggle).toHaveAttribute('aria-expanded', 'true')
  const ids = await drawnIds(page)
  const at = ids.indexOf(`0:${PARENT}`)
  // Right under the parent, in the list's order (the review answered last).
  expect(ids.slice(at, at + 3)).toEqual([`0:${PARENT}`, `1:${REVIEW}`, `1:${EXPLORE}`])
  await expect(rowOf(page, EXPLORE).getByTestId('conversation-cost')).toHaveText(/^\$150\.0\d$/)
  await page.screenshot({ path: 'test-results/screenshots/nesting-expanded.png' })
})

test('Warmups shown on demand are drawn under their sessions; the choice and the open parents survive a reload', async ({
  page,
}) => {
  await importAll(page)
  const trivial = page.getByTestId('trivial-toggle')
  await rowOf(page, PARENT).getByTestId('children-toggle').click()
  await trivial.getByRole('checkbox').check()
  await expect(rowOf(page, WARM)).toHaveAttribute('data-depth', '1')
  await expect(rowOf(page, SAMPLE_SESSION).getByTestId('children-toggle')).toHaveText('▸ 1 sub-agent')
  await reloadWhenPersisted(page)
  await expect(page.getByTestId('trivial-toggle').getByRole('checkbox')).toBeChecked({ timeout: 20_000 })
  await expect(page.getByTestId('trivial-toggle')).not.toContainText('hidden')
  // The session opened before the reload is still open, its Warmup drawn under it; the sample's is closed.
  await expect(rowOf(page, PARENT).getByTestId('children-toggle')).toHaveAttribute('aria-expanded', 'true')
  await expect(rowOf(page, WARM)).toHaveAttribute('data-depth', '1')
  await expect(rowOf(page, SAMPLE_WARMUP)).toHaveCount(0)
  await rowOf(page, SAMPLE_SESSION).getByTestId('children-toggle').click()
  await expect(rowOf(page, SAMPLE_WARMUP)).toHaveAttribute('data-depth', '1')
})

test('the keyboard opens and closes a parent and walks its children', async ({ page }) => {
  await importAll(page, false)
  await rowOf(page, PARENT).click()
  const scroller = page.getByTestId('list-scroller')
  await scroller.focus()
  await page.keyboard.press('ArrowRight')
  await expect(rowOf(page, PARENT).getByTestId('children-toggle')).toHaveAttribute('aria-expanded', 'true')
  await page.keyboard.press('ArrowDown')
  await expect(rowOf(page, REVIEW)).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('ArrowDown')
  await expect(rowOf(page, EXPLORE)).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('reader')).toHaveAttribute('data-conversation-id', EXPLORE)
  // Left from a child goes up to its parent; Left again closes it.
  await page.keyboard.press('ArrowLeft')
  await expect(rowOf(page, PARENT)).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('ArrowLeft')
  await expect(rowOf(page, PARENT).getByTestId('children-toggle')).toHaveAttribute('aria-expanded', 'false')
  await expect(rowOf(page, EXPLORE)).toHaveCount(0)
  // Closing a parent with the mouse while a child is open selects the parent: the child would hold it open.
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowDown')
  await expect(rowOf(page, REVIEW)).toHaveAttribute('aria-selected', 'true')
  await rowOf(page, PARENT).getByTestId('children-toggle').click()
  await expect(rowOf(page, PARENT)).toHaveAttribute('aria-selected', 'true')
  await expect(rowOf(page, REVIEW)).toHaveCount(0)
})

test('sorting, grouping and filters keep each child with its parent or show it on its own', async ({
  page,
}) => {
  await importAll(page)
  // By cost the session comes first: its row's figure, its sub-agents' included, is the largest.
  await page.getByLabel('Sort').selectOption('cost')
  await expect(page.getByTestId('conversation-row').first()).toHaveAttribute('data-conversation-id', PARENT)

  // By workspace the review, run in another folder, stays under its parent: no heading of its own.
  await page.getByLabel('Group').selectOption('workspace')
  await rowOf(page, PARENT).getByTestId('children-toggle').click()
  await expect(rowOf(page, REVIEW)).toHaveAttribute('data-depth', '1')
  await expect(page.locator('.list-heading', { hasText: '/work/other' })).toHaveCount(0)

  // A filter the parent does not match shows the child that matches as a row of its own.
  await page.getByLabel('Model').selectOption(HAIKU)
  await expect(page.getByTestId('conversation-row')).toHaveCount(1)
  await expect(rowOf(page, REVIEW)).toHaveAttribute('data-depth', '0')
})

test('search finds a sub-agent on its own, and opening it reveals it under its parent', async ({ page }) => {
  await importAll(page)
  await page.keyboard.press('Control+k')
  await page.getByLabel('Search conversations').fill('nestingquokka')
  const hit = page.getByTestId('search-hit')
  await expect(hit).toHaveCount(1)
  await hit.click()
  await expect(page.getByTestId('reader')).toHaveAttribute('data-conversation-id', EXPLORE)
  await expect(rowOf(page, EXPLORE)).toHaveAttribute('aria-selected', 'true')
  await expect(rowOf(page, EXPLORE)).toHaveAttribute('data-depth', '1')

  // A hidden Warmup too: opened from a search, it is drawn under its session while it is open.
  await page.getByRole('button', { name: '← Back to results' }).click()
  const warmupQuery = '"ready to help you search through your codebase"'
  await page.getByLabel('Search conversations').fill(warmupQuery)
  await answering(page, warmupQuery).getByTestId('search-hit').first().click()
  await expect(page.getByTestId('reader')).toHaveAttribute('data-conversation-id', SAMPLE_WARMUP)
  await expect(rowOf(page, SAMPLE_WARMUP)).toHaveAttribute('data-depth', '1')
  await expect(rowOf(page, SAMPLE_WARMUP)).toHaveAttribute('aria-selected', 'true')
})

/** The conversations of the fixture's session in the trash, as the SQL repository holds them (the bridge wrote them). */
function trashedInSql(): string[] {
  return readRepository(
    host.dataDir,
    (db) =>
      db
        .prepare(`SELECT id FROM conversations WHERE deleted_at IS NOT NULL AND id LIKE ? ORDER BY id`)
        .pluck()
        .all(`${PARENT}%`) as string[],
  )
}

test('trashing a session takes its sub-agents along; restoring it brings back those that went with it', async ({
  page,
}) => {
  await importAll(page, false)
  const scroller = page.getByTestId('list-scroller')
  // The review is trashed on its own first: it stays in the trash when its session comes back.
  await rowOf(page, PARENT).getByTestId('children-toggle').click()
  await rowOf(page, REVIEW).click()
  await scroller.focus()
  await page.keyboard.press('Delete')
  await expect(page.getByTestId('undo-bar')).toContainText('Moved “Review the change” to the trash')
  await expect(rowOf(page, REVIEW)).toHaveCount(0)

  await rowOf(page, PARENT).click()
  await scroller.focus()
  await page.keyboard.press('Delete')
  // The explore agent and the hidden Warmup go with it: no child is left as a row of its own.
  await expect(page.getByTestId('undo-bar')).toContainText('with 2 sub-conversations to the trash')
  await expect(page.getByTestId('empty-list')).toBeVisible()
  await expect.poll(trashedInSql, { timeout: 10_000 }).toEqual([PARENT, EXPLORE, REVIEW, WARM].sort())

  // In the trash the family is one row again, with its children under it.
  await page.getByRole('tab', { name: 'Trash' }).click()
  await expect(page.getByTestId('conversation-row')).toHaveCount(1)
  await expect(rowOf(page, PARENT).getByTestId('children-toggle')).toHaveText('▸ 2 sub-agents')
  await rowOf(page, PARENT).click()
  await page.getByRole('button', { name: 'Restore' }).click()
  // Back: the session with the explore agent and the Warmup; the review stays where it was put on its own.
  await expect(rowOf(page, REVIEW)).toHaveAttribute('data-depth', '0')
  await expect(page.getByTestId('conversation-row')).toHaveCount(1)
  await expect.poll(trashedInSql, { timeout: 10_000 }).toEqual([REVIEW])
  await page.getByRole('tab', { name: 'All' }).click()
  await expect(rowOf(page, PARENT).getByTestId('children-toggle')).toHaveText('▸ 1 sub-agent')
})
