import { defineConfig } from 'vite'
import { rendererOptions } from './renderer.vite-options.ts'

// The web host's build of the renderer (`npm run build:renderer`, or on demand by `chronicle serve`).
export default defineConfig(rendererOptions())
