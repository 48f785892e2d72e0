/**
 * `serve --open`: opens the page in the default browser without putting the launch token on a command line, where
 * every user of the machine could read it in `ps`. As Jupyter does, the tokened address goes into a small HTML file
 * only this user can read (0600, in the private data directory); the browser is given that file's path, and the
 * file sends it on to the address. The file is removed a minute later, or when the server stops, whichever is first.
 */
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { writePrivateFile } from '../private-files'

/** Runs the platform's "open this" program; injected by tests. */
export type Opener = (command: string, args: readonly string[]) => void

export interface OpenInBrowserOptions {
  readonly opener?: Opener
  /** How long the browser has to read the file (default 60 s). */
  readonly removeAfterMs?: number
  readonly platform?: NodeJS.Platform
}

const REMOVE_AFTER_MS = 60_000

/** Opens `url` through a redirect file in `dir`; returns a function that removes the file (idempotent). */
export function openInBrowser(url: string, dir: string, options: OpenInBrowserOptions = {}): () => void {
  const file = join(dir, `open-${process.pid}.html`)
  writePrivateFile(file, redirectPage(url))
  const remove = () => {
    clearTimeout(timer)
    process.off('exit', remove)
    rmSync(file, { force: true })
  }
  const timer = setTimeout(remove, options.removeAfterMs ?? REMOVE_AFTER_MS)
  timer.unref()
  process.once('exit', remove)
  const [command, args] = openerCommand(file, options.platform ?? process.platform)
  ;(options.opener ?? spawnDetached)(command, args)
  return remove
}

/** A page that goes on to `url` at once (and by meta refresh where scripts do not run from files). */
export function redirectPage(url: string): string {
  const attribute = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
  const script = JSON.stringify(url).replace(/</g, '\\u003c')
  return `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="1;url=${attribute}">
<title>Opening Chronicle</title>
<script>window.location.replace(${script})</script>
</head>
<body><p>Opening <a href="${attribute}">Chronicle</a>…</p></body>
</html>
`
}

export function openerCommand(target: string, platform: NodeJS.Platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [target]]
  if (platform === 'win32') return ['cmd', ['/c', 'start', '', target]]
  return ['xdg-open', [target]]
}

function spawnDetached(command: string, args: readonly string[]): void {
  spawn(command, args, { stdio: 'ignore', detached: true })
    .on('error', () => undefined)
    .unref()
}
