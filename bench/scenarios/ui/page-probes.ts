/**
 * Measurements taken inside the page, so a figure is the page's time and not the round trip to Playwright: each
 * probe starts its clock in the page and stops it at the first animation frame where the result is on screen.
 * They are page code, kept as text: the bench is typechecked for Node, where the DOM does not exist.
 */
import type { Page } from '@playwright/test'

const inPage = <T>(page: Page, body: string, arg: unknown): Promise<T> =>
  page.evaluate(`(${body})(${JSON.stringify(arg)})`) as Promise<T>

/**
 * Records, before any page script runs, when the first conversation row is drawn (as window.__firstRowAt), and
 * counts the tab's loads (as window.__loads; the tab's session storage outlives a reload, not the browser).
 */
export const FIRST_ROW_PROBE = `(() => {
  window.__loads = Number(sessionStorage.getItem('chronicle-bench-loads') ?? 0) + 1
  sessionStorage.setItem('chronicle-bench-loads', String(window.__loads))
  const look = () => document.querySelector('[data-testid="conversation-row"]')
    ? (window.__firstRowAt = performance.now()) : requestAnimationFrame(look)
  requestAnimationFrame(look)
})()`

/**
 * The first row's time of a cold start whose page never loaded again: its leader checks the store before opening
 * it and, finding the last pull torn (the browser before it closed mid-pull), mends it and loads the page again,
 * on a slow machine seconds after the first row was drawn, or before the list was full. The header's indicator says
 * "Synced" only once the leader is open and caught up with the hub, so after that no such reload is still to come.
 * Null when the page loaded again (the start is not a plain one).
 */
export async function firstRowOfSettledPage(page: Page): Promise<number | null> {
  await page.locator('[data-testid="sync-indicator"][data-state="synced"]').waitFor({ timeout: 120_000 })
  const { loads, firstRowAt } = (await page
    .evaluate('({ loads: window.__loads, firstRowAt: window.__firstRowAt ?? null })')
    .catch(() => ({ loads: null, firstRowAt: null }))) as { loads: number | null; firstRowAt: number | null }
  return loads === 1 ? firstRowAt : null
}

/** Milliseconds from setting the search field to the first frame showing results that answer that query. */
export const typeAndWaitForResults = (page: Page, query: string): Promise<number> =>
  inPage(
    page,
    `(q) => new Promise((resolve) => {
      const input = document.querySelector('input[aria-label="Search conversations"]')
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set
      const started = performance.now()
      setValue.call(input, q)
      input.dispatchEvent(new Event('input', { bubbles: true }))
      const answered = () => document.querySelector('[data-answers="' + CSS.escape(q) + '"]')
        ? resolve(performance.now() - started) : requestAnimationFrame(answered)
      requestAnimationFrame(answered)
    })`,
    query,
  )

/**
 * Resolves with the epoch time (page clock) at which the list draws a conversation with this title; rejects after
 * 30 s with what the header's sync indicator said, so a page that stopped syncing fails the run instead of hanging it.
 */
export const watchForTitle = (page: Page, title: string): Promise<number> =>
  inPage(
    page,
    `(t) => new Promise((resolve, reject) => {
      const given = performance.now() + 30000
      const seen = () => {
        if ([...document.querySelectorAll('.conversation-title')].some((el) => el.textContent === t))
          return resolve(performance.timeOrigin + performance.now())
        if (performance.now() > given) {
          const sync = document.querySelector('[data-testid="sync-indicator"]')?.textContent
          return reject(new Error('the list did not draw "' + t + '" within 30 s; the sync indicator said: ' + sync))
        }
        requestAnimationFrame(seen)
      }
      requestAnimationFrame(seen)
    })`,
    title,
  )

/** Scrolls the list to the bottom and back in `steps` frames each way; returns the long tasks (ms) seen meanwhile. */
export const scrollAndCountLongTasks = (page: Page, steps: number): Promise<number[]> =>
  inPage(
    page,
    `(n) => new Promise((resolve) => {
      const long = []
      const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) long.push(e.duration) })
      observer.observe({ type: 'longtask' })
      const scroller = document.querySelector('[data-testid="list-scroller"]')
      const stride = scroller.scrollHeight / n
      let step = 0
      const next = () => {
        step += 1
        scroller.scrollTop = step <= n ? step * stride : (2 * n - step) * stride
        if (step < 2 * n) requestAnimationFrame(next)
        else setTimeout(() => { observer.disconnect(); resolve(long) }, 100)
      }
      requestAnimationFrame(next)
    })`,
    steps,
  )

/**
 * Opens a conversation by clicking its row; resolves with the milliseconds from the click to the first frame that
 * shows one of its messages.
 */
export const openConversationAndWait = (page: Page, conversationId: string): Promise<number> =>
  inPage(
    page,
    `(id) => new Promise((resolve) => {
      const row = document.querySelector('[data-testid="conversation-row"][data-conversation-id="' + CSS.escape(id) + '"]')
      const started = performance.now()
      row.click()
      const shown = () => document.querySelector('[data-testid="reader"][data-conversation-id="' + CSS.escape(id) + '"] [data-testid="message"]')
        ? resolve(performance.now() - started) : requestAnimationFrame(shown)
      requestAnimationFrame(shown)
    })`,
    conversationId,
  )

/**
 * Reads the open conversation to its end as a fast reader would: one screenful per frame, the reader paging
 * messages in as it goes, until the message with `lastId` is drawn. Resolves with the time taken and the long
 * tasks seen meanwhile.
 */
export const readToTheEnd = (page: Page, lastId: string): Promise<{ ms: number; longTasks: number[] }> =>
  inPage(
    page,
    `(last) => new Promise((resolve) => {
      const long = []
      const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) long.push(e.duration) })
      observer.observe({ type: 'longtask' })
      const scroller = document.querySelector('[data-testid="reader-scroll"]')
      const started = performance.now()
      const next = () => {
        if (document.querySelector('[data-message-id="' + CSS.escape(last) + '"]')) {
          const ms = performance.now() - started
          return setTimeout(() => { observer.disconnect(); resolve({ ms, longTasks: long }) }, 100)
        }
        scroller.scrollTop += scroller.clientHeight
        requestAnimationFrame(next)
      }
      requestAnimationFrame(next)
    })`,
    lastId,
  )
