#!/usr/bin/env node
// Runs the TypeScript CLI under plain Node with no build step of the user's: from a bundle made when the sources
// change (cli-bundle.js), or, where esbuild is missing, with tsx compiling each module as it is loaded.
import { fileURLToPath, pathToFileURL } from 'node:url'
import { cliBundle } from './cli-bundle.js'

const bundle = await cliBundle(fileURLToPath(new URL('..', import.meta.url)))
/** @type {typeof import('../src/main/cli/entry.ts')} */
let cli
if (bundle !== null) {
  cli = await import(pathToFileURL(bundle).href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  cli = await import('../src/main/cli/entry.ts')
}
// Before anything is written: every file and folder this process makes is the user's alone (private-files.ts).
cli.usePrivateUmask()
cli.endQuietlyWhenReaderGoes()
process.exitCode = await cli.main(process.argv.slice(2))
