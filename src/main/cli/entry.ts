/** What bin/chronicle.js loads, from the bundle or from the sources: the process's set-up and the command line. */
export { usePrivateUmask } from '../private-files'
export { endQuietlyWhenReaderGoes } from './terminal'
export { main } from './main'
