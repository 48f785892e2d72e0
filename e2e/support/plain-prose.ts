import type { Page } from '@playwright/test'

/**
 * Counts the message texts the reader draws as plain text from now on (added to its DOM, as themselves or inside a
 * message); the function returned stops counting and says how many.
 */
export async function watchPlainProse(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(`(() => {
    let plain = 0
    const observer = new MutationObserver((records) => {
      for (const record of records)
        for (const node of record.addedNodes)
          if (node instanceof Element)
            plain += node.matches('.markdown.plain') ? 1 : node.querySelectorAll('.markdown.plain').length
    })
    observer.observe(document.querySelector('[data-testid="reader"]'), { childList: true, subtree: true })
    globalThis.__stopWatchingPlainProse = () => (observer.disconnect(), plain)
  })()`)
  return async () => (await page.evaluate('globalThis.__stopWatchingPlainProse()')) as number
}
