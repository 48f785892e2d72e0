/** ChatGPT data exports: conversations.json, alone or in the export zip. */
export { chatGptAdapter } from './chatgpt-adapter'
