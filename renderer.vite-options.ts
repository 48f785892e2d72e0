/**
 * Renderer build settings shared by electron-vite (the desktop app) and plain Vite (the web host), so both
 * serve the same page with the same Content Security Policy.
 */
import react from '@vitejs/plugin-react'
import { resolve } from 'node:path'
import type { Plugin, UserConfig } from 'vite'
import { CONTENT_SECURITY_POLICY } from './src/shared/content-security-policy.ts'

const cspMetaTag = (): Plugin => ({
  name: 'chronicle-csp',
  transformIndexHtml: (html) =>
    html.replace(
      '<head>',
      `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`,
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
