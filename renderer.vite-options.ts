/**
 * Renderer build settings shared by electron-vite (the desktop app) and plain Vite (the web host), so both
 * serve the same page. The page carries no Content Security Policy of its own: both hosts send it as a header
 * (src/shared/content-security-policy.ts), and a meta tag would only narrow it (the desktop app's policy names the
 * hub's port, known at launch) without being able to carry frame-ancestors.
 */
import react from '@vitejs/plugin-react'
import { resolve } from 'node:path'
import type { UserConfig } from 'vite'

export const rendererRoot = resolve(import.meta.dirname, 'src/renderer')
export const rendererOutDir = resolve(import.meta.dirname, 'out/renderer')

export const rendererOptions = (): UserConfig => ({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: { outDir: rendererOutDir, emptyOutDir: true, target: 'es2022' },
})
