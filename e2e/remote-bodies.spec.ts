/**
 * Message bodies between two machines through the real sync worker (`npm run sync-worker`, workerd) and two real
 * `chronicle serve`s, the second joined with the first's pairing code. A conversation imported on the first
 * reaches the second as previews; its bodies follow apart from the events. On the second machine's page the
 * conversation reads whole (a phrase well past the preview's first characters is there, no "loading the rest"
 * note), a search for that phrase finds it, and the Devices view shows no bodies left to move. And on one machine,
 * a message that is only a preview (as the repository keeps one, written from outside) is shown as such with a
 * note, and whole once its body is written, though nothing tells the page: the reader asks again until it is.
 */
import Database from 'better-sqlite3'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { BODY_ELSEWHERE, BODY_FETCHED, type BodyState } from '../src/main/repository/body-states'
import { chronicle } from './support/chronicle-cli'
import { answering } from './support/search'
import { startSyncWorker, type SyncWorkerProcess } from './support/sync-worker-process'
import { emptyDataDir, startWebHost, type RunningHost } from './support/web-host-process'

test.describe.configure({ timeout: 150_000 })

const persistTo = mkdtempSync(join(tmpdir(), 'chronicle-e2e-worker-'))
let worker: SyncWorkerProcess
let first: RunningHost | undefined
let second: RunningHost | undefined

test.beforeAll(async () => {
  worker = await startSyncWorker(persistTo)
})
test.afterEach(async () => {
  await first?.stop()
  await second?.stop()
  first = second = undefined
})
test.afterAll(async () => {
  await worker?.stop()
  rmSync(persistTo, { recursive: true, force: true })
})

const SESSION = '0b0d1e5a-7c1e-4e5f-9a2b-3c4d5e6f7a8b'
const CONVERSATION = `claude-code:${SESSION}`
/** Far past the preview (its first 160 characters), and found in no sample. */
const PHRASE = 'periwinkle lighthouse ledger'
/** The answer's model: message metadata, which travels with the body and is shown beside the answer. */
const MODEL = 'claude-opus-4-1-20250805'

/** A Claude Code session as the assistant writes it: a question, and an answer whose point comes at its end. */
function writeSession(): string {
  const projects = mkdtempSync(join(tmpdir(), 'chronicle-e2e-projects-'))
  mkdirSync(join(projects, '-work-demo'))
  const opening =
    'The migration keeps every table as it was and adds one column per message for where its body lives, ' +
    'so that a machine which holds only the preview can still list, sort and count the conversation. '
  expect(opening.length).toBeGreaterThan(160)
  const answer = `${opening}What it cannot do is search the rest, which is why the ${PHRASE} matters here.`
  const line = (
    uuid: string,
    parentUuid: string | null,
    role: 'user' | 'assistant',
    text: string,
    at: string,
  ) =>
    JSON.stringify({
      type: role,
      uuid,
      parentUuid,
      sessionId: SESSION,
      cwd: '/work/demo',
      timestamp: at,
      message: { role, content: [{ type: 'text', text }], ...(role === 'assistant' && { model: MODEL }) },
    })
  writeFileSync(
    join(projects, '-work-demo', `${SESSION}.jsonl`),
    [
      line(
        'u1',
        null,
        'user',
        'What does the new migration change for a machine with previews only?',
        '2026-11-02T09:00:00.000Z',
      ),
      line('a1', 'u1', 'assistant', answer, '2026-11-02T09:00:05.000Z'),
      '',
    ].join('\n'),
  )
  return projects
}

test('a conversation imported on one machine reads whole on the other, and its end is found there', async ({
  page,
}) => {
  const firstDir = emptyDataDir()
  const { pairingCode } = JSON.parse(
    chronicle(['sync', 'setup', worker.url, '--json', '--data-dir', firstDir]),
  ) as { pairingCode: string }
  const secondDir = emptyDataDir()
  chronicle(['sync', 'join', pairingCode, '--data-dir', secondDir])
  first = await startWebHost(firstDir)
  second = await startWebHost(secondDir)
  await page.goto(second.url)
  await expect(page.getByTestId('empty-list')).toBeVisible({ timeout: 30_000 })

  const projects = writeSession()
  try {
    chronicle(['import', projects, '--data-dir', firstDir])
  } finally {
    rmSync(projects, { recursive: true, force: true })
  }

  // On the second machine: the conversation, whole, with no note that the rest is on its way.
  const row = page.locator(`[data-testid="conversation-row"][data-conversation-id="${CONVERSATION}"]`)
  await expect(row).toBeVisible({ timeout: 60_000 })
  await row.click()
  const reader = page.getByTestId('reader')
  await expect(reader).toHaveAttribute('data-state', 'ready')
  await expect(reader).toHaveAttribute('data-conversation-id', CONVERSATION)
  const answer = reader.getByTestId('message').filter({ hasText: 'The migration keeps every table' })
  await expect(answer).toContainText(`why the ${PHRASE} matters here.`, { timeout: 30_000 })
  await expect(answer).not.toHaveAttribute('data-body-elsewhere')
  await expect(reader.getByTestId('body-elsewhere')).toHaveCount(0)
  await expect(answer).toContainText(MODEL)
  await page.screenshot({ path: 'test-results/screenshots/remote-bodies-reader.png' })

  // Its end is searchable there: the body was written into the second machine's index, not only shown.
  await page.keyboard.press('Control+k')
  await page.getByLabel('Search conversations').fill(`"${PHRASE}"`)
  const hit = answering(page, `"${PHRASE}"`).getByTestId('search-hit')
  await expect(hit).toHaveCount(1)
  await expect(hit).toHaveAttribute('data-conversation-id', CONVERSATION)
  await expect(hit).toContainText(PHRASE)
  await hit.click()
  await expect(reader).toHaveAttribute('data-conversation-id', CONVERSATION)

  // Nothing left to move, as the Devices view says it: no bodies line at all.
  await page.getByTestId('sync-indicator').click()
  await expect(page.getByTestId('remote-connection')).toHaveAttribute('data-state', 'connected')
  await expect(page.getByTestId('remote-heads')).toBeVisible()
  await expect(page.getByTestId('remote-bodies')).toHaveCount(0)
  await page.screenshot({ path: 'test-results/screenshots/remote-bodies-devices.png', fullPage: true })
})

test('a message that is only a preview says the rest is coming, and reads whole once its body is written', async ({
  page,
}) => {
  const dataDir = emptyDataDir()
  const projects = writeSession()
  try {
    chronicle(['import', projects, '--data-dir', dataDir])
  } finally {
    rmSync(projects, { recursive: true, force: true })
  }
  // The answer as another machine's event leaves it here: its first characters, its body elsewhere.
  const db = new Database(join(dataDir, 'chronicle.sqlite'))
  db.pragma('busy_timeout = 5000')
  const whole = db
    .prepare("SELECT id, text FROM messages WHERE conversation_id = ? AND role = 'assistant'")
    .get(CONVERSATION) as { id: string; text: string }
  const writeBody = (text: string, state: BodyState) =>
    db.prepare('UPDATE messages SET text = ?, body_state = ? WHERE id = ?').run(text, state, whole.id)
  try {
    writeBody(whole.text.slice(0, 160), BODY_ELSEWHERE)
    first = await startWebHost(dataDir)
    await page.goto(first.url)
    const row = page.locator(`[data-testid="conversation-row"][data-conversation-id="${CONVERSATION}"]`)
    await expect(row).toBeVisible({ timeout: 30_000 })
    await row.click()
    const reader = page.getByTestId('reader')
    await expect(reader).toHaveAttribute('data-state', 'ready')
    const answer = reader.locator(`[data-message-id="${whole.id}"]`)
    await expect(answer).toHaveAttribute('data-body-elsewhere', 'true')
    await expect(answer.getByTestId('body-elsewhere')).toHaveText(
      'Loading the rest from your other machines…',
    )
    await expect(answer.getByTestId('body-elsewhere')).toHaveRole('note')
    await expect(answer).not.toContainText(PHRASE)
    await page.screenshot({ path: 'test-results/screenshots/remote-bodies-preview.png' })

    // The body is written as the transfer writes one: no event tells the page, the reader's asking again does.
    writeBody(whole.text, BODY_FETCHED)
    await expect(answer).toContainText(`why the ${PHRASE} matters here.`, { timeout: 15_000 })
    await expect(answer).not.toHaveAttribute('data-body-elsewhere')
    await expect(reader.getByTestId('body-elsewhere')).toHaveCount(0)
  } finally {
    db.close()
  }
})
