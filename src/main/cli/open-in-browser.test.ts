/**
 * `serve --open` puts the launch token on no command line. Bad input: a tokened address, whose token would show in
 * `ps` if it were an argument of the opener.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { openInBrowser, redirectPage } from './open-in-browser'

const scratch = useScratch()
const TOKEN = 'Zx9-secret-launch-token-0123456789abcdef'
const URL_WITH_TOKEN = `http://127.0.0.1:4321/?token=${TOKEN}`

describe('opening the page in the browser', () => {
  it('gives the opener a 0600 file that leads to the address, never the token', async () => {
    const dir = scratch.dir()
    const calls: { command: string; args: readonly string[] }[] = []
    const remove = openInBrowser(URL_WITH_TOKEN, dir, {
      opener: (command, args) => calls.push({ command, args }),
      platform: 'linux',
      removeAfterMs: 50,
    })
    expect(calls).toHaveLength(1)
    const argv = [calls[0]?.command, ...(calls[0]?.args ?? [])].join(' ')
    expect(argv).not.toContain(TOKEN)
    const file = calls[0]?.args.at(-1) ?? ''
    expect(file).toMatch(/open-\d+\.html$/)
    expect(readFileSync(file, 'utf8')).toContain(`window.location.replace(${JSON.stringify(URL_WITH_TOKEN)})`)
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    // Gone once the browser has had its time (and removing it again is harmless).
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(existsSync(file)).toBe(false)
    remove()
  })

  it('is removed when the server stops before the time is up', () => {
    const dir = scratch.dir()
    let file = ''
    const remove = openInBrowser(URL_WITH_TOKEN, dir, { opener: (_, args) => (file = args.at(-1) ?? '') })
    expect(existsSync(file)).toBe(true)
    remove()
    expect(existsSync(file)).toBe(false)
  })

  it('escapes the address in the page (bad input: quotes and a closing script tag)', () => {
    const page = redirectPage('http://127.0.0.1:1/?token=a"b</script><script>alert(1)//&x=1')
    expect(page).not.toContain('</script><script>alert')
    expect(page).toContain('content="1;url=http://127.0.0.1:1/?token=a&quot;b&lt;/script>')
    expect(page).toContain('&amp;x=1')
  })
})
