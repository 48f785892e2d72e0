/**
 * Draws resources/icon.svg into the PNGs packaging needs: resources/icon.png (1024 px; electron-builder makes the
 * macOS .icns and the Windows .ico from it) and resources/icons/<n>x<n>.png for Linux desktops. Chromium renders
 * the SVG, so no image tool is needed beyond the browser the end-to-end tests use.
 *   node --import tsx scripts/make-icons.ts
 */
import { chromium } from '@playwright/test'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const RESOURCES = join(import.meta.dirname, '..', 'resources')
const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512]

const svg = readFileSync(join(RESOURCES, 'icon.svg'), 'utf8')
const browser = await chromium.launch({
  executablePath: process.env.CHRONICLE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
})
try {
  const page = await browser.newPage()
  const draw = async (size: number, path: string) => {
    await page.setViewportSize({ width: size, height: size })
    await page.setContent(
      `<body style="margin:0;background:transparent"><img width="${size}" height="${size}" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body>`,
    )
    await page.locator('img').screenshot({ path, omitBackground: true })
  }
  await draw(1024, join(RESOURCES, 'icon.png'))
  mkdirSync(join(RESOURCES, 'icons'), { recursive: true })
  for (const size of LINUX_SIZES) await draw(size, join(RESOURCES, 'icons', `${size}x${size}.png`))
} finally {
  await browser.close()
}
