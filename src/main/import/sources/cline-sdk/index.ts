/** Cline SDK sessions: `~/.cline/data/sessions/<id>/<id>.messages.json`. */
export { clineSdkAdapter } from './cline-sdk-adapter'
