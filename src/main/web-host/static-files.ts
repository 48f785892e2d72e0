import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { isPathInside } from '../security/path-inside'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
}

export interface StaticFile {
  readonly body: Buffer
  readonly type: string
  /** Vite fingerprints everything under assets/, so those may be cached for good. */
  readonly immutable: boolean
}

/** Resolves a URL path inside root, refusing anything that would leave it; unknown paths get the app's index.html. */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const base = resolve(root)
  const candidate = resolve(base, normalize(`.${sep}${decoded}`))
  if (!isPathInside(candidate, base)) return null
  const file = (await isFile(candidate)) ? candidate : join(base, 'index.html')
  if (!(await isFile(file))) return null
  return {
    body: await readFile(file),
    type: TYPES[extname(file)] ?? 'application/octet-stream',
    immutable: isPathInside(file, join(base, 'assets')),
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}
