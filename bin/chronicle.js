#!/usr/bin/env node
// Runs the TypeScript CLI under plain Node with no build step: tsx compiles each module as it is loaded.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
