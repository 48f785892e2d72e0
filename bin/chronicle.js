#!/usr/bin/env node
// Runs the TypeScript CLI under plain Node with no build step: tsx compiles each module as it is loaded.
import { register } from 'tsx/esm/api'

register()
const { usePrivateUmask } = await import('../src/main/private-files.ts')
const { endQuietlyWhenReaderGoes } = await import('../src/main/cli/terminal.ts')
// Before anything is written: every file and folder this process makes is the user's alone (private-files.ts).
usePrivateUmask()
endQuietlyWhenReaderGoes()
const { main } = await import('../src/main/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
