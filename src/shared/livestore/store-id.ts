/**
 * One store per hub: the main process, the page and device clients all sync it. A module of its own, so the page
 * can name the store before it loads LiveStore (early-shared-worker.ts).
 */
export const STORE_ID = 'chronicle'
