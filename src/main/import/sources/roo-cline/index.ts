import { makeTaskFolderAdapter } from './task-folder-adapter'

/** Roo Code tasks: `globalStorage/rooveterinaryinc.roo-cline/tasks/<id>/`. */
export const rooCodeAdapter = makeTaskFolderAdapter('roo')

/** Classic Cline tasks: `globalStorage/saoudrizwan.claude-dev/tasks/<id>/`. */
export const clineAdapter = makeTaskFolderAdapter('cline')
