/**
 * Renderer build settings shared by electron-vite (the desktop app) and plain Vite (the web host), so both
 * serve the same page with the same Content Security Policy.
 */
import react from '@vitejs/plugin-react'
import { resolve } from 'node:path'
import type { Plugin, UserConfig } from 'vite'
import { CONTENT_SECURITY_POLICY } from './src/shared/content-security-policy.ts'

/** A meta tag cannot carry frame-ancestors (browsers ignore it there, with a warning); the web host's header does. */
const META_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ')

const cspMetaTag = (): Plugin => ({
  name: 'chronicle-csp',
  transformIndexHtml: (html) =>
    html.replace(
      '<head>',
      `<head>\n    <meta http-equiv="Content-Security-Policy" content="${META_POLICY}" />`,
    ),
})

export const rendererRoot = resolve(import.meta.dirname, 'src/renderer')
export const rendererOutDir = resolve(import.meta.dirname, 'out/renderer')

export const rendererOptions = (): UserConfig => ({
  root: rendererRoot,
  base: './',
  plugins: [react(), cspMetaTag()],
  worker: { format: 'es' },
  build: { outDir: rendererOutDir, emptyOutDir: true, target: 'es2022' },
})
