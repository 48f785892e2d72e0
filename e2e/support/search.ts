import type { Page } from '@playwright/test'

/**
 * The search results once they answer `query` exactly. The list keeps showing the previous query's hits until the
 * new ones arrive, so a test that types a second query and clicks at once would otherwise open an earlier hit.
 */
export const answering = (page: Page, query: string) =>
  page.locator(`[data-testid="search-results"][data-answers=${JSON.stringify(query)}]`)
