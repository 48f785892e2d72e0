/**
 * Tool calls as the assistants write them: Roo and Cline as XML tags in the text, Claude Code and ChatGPT as JSON.
 * Tool results (file contents, command output, search matches) are the longest messages in a real history.
 */
import { codeBody, type CodeLanguage } from './code'
import type { Prng } from './prng'
import type { Vocabularies } from './vocabulary'

export type ToolStyle = 'xml' | 'json'
export const TOOLS = ['read_file', 'execute_command', 'search_files', 'write_to_file'] as const
export type Tool = (typeof TOOLS)[number]

const EXTENSIONS: readonly (readonly [string, CodeLanguage])[] = [
  ['ts', 'ts'],
  ['py', 'python'],
  ['rs', 'rust'],
  ['go', 'go'],
  ['sql', 'sql'],
  ['sh', 'bash'],
  ['json', 'json'],
]

const word = (rng: Prng, vocab: Vocabularies): string =>
  vocab.byLanguage.en.sample(rng).replace(/[^a-z0-9]/gi, '') || 'index'

function filePath(rng: Prng, vocab: Vocabularies): { path: string; language: CodeLanguage } {
  const [ext, language] = rng.pick(EXTENSIONS)
  return { path: `src/${word(rng, vocab)}/${word(rng, vocab)}-${word(rng, vocab)}.${ext}`, language }
}

export function toolCall(
  rng: Prng,
  vocab: Vocabularies,
  style: ToolStyle,
  tool: Tool,
  codeChars: number,
): string {
  const file = filePath(rng, vocab)
  const command = `npm run ${word(rng, vocab)} -- --filter ${word(rng, vocab)}`
  const pattern = `${word(rng, vocab)}${word(rng, vocab)}`
  const content = tool === 'write_to_file' ? codeBody(rng, vocab, file.language, codeChars) : ''
  if (style === 'xml') {
    switch (tool) {
      case 'read_file':
        return `<read_file>\n<path>${file.path}</path>\n</read_file>`
      case 'execute_command':
        return `<execute_command>\n<command>${command}</command>\n</execute_command>`
      case 'search_files':
        return `<search_files>\n<path>src</path>\n<regex>${pattern}</regex>\n</search_files>`
      case 'write_to_file':
        return `<write_to_file>\n<path>${file.path}</path>\n<content>\n${content}\n</content>\n</write_to_file>`
    }
  }
  const input =
    tool === 'read_file'
      ? { file_path: file.path }
      : tool === 'execute_command'
        ? { command }
        : tool === 'search_files'
          ? { pattern, path: 'src' }
          : { file_path: file.path, content }
  const name = { read_file: 'Read', execute_command: 'Bash', search_files: 'Grep', write_to_file: 'Write' }[
    tool
  ]
  return JSON.stringify({ type: 'tool_use', id: `toolu_${rng.int(1e8, 9e8)}`, name, input })
}

function commandOutput(rng: Prng, vocab: Vocabularies, targetChars: number): string {
  const lines: string[] = []
  let length = 0
  while (length < targetChars) {
    const file = filePath(rng, vocab).path
    const line = rng.chance(0.8)
      ? ` ✓ ${file} (${rng.int(1, 40)} tests) ${rng.int(2, 900)}ms`
      : ` FAIL ${file} > ${word(rng, vocab)} ${word(rng, vocab)}\n   at ${word(rng, vocab)} (${file}:${rng.int(1, 400)}:${rng.int(1, 80)})`
    lines.push(line)
    length += line.length + 1
  }
  return lines.join('\n')
}

function searchOutput(rng: Prng, vocab: Vocabularies, targetChars: number): string {
  const lines: string[] = []
  let length = 0
  while (length < targetChars) {
    const line = `${filePath(rng, vocab).path}:${rng.int(1, 900)}: ${codeBody(rng, vocab, 'ts', 40)}`
    lines.push(line)
    length += line.length + 1
  }
  return lines.join('\n')
}

export function toolResult(rng: Prng, vocab: Vocabularies, tool: Tool, targetChars: number): string {
  switch (tool) {
    case 'read_file': {
      const file = filePath(rng, vocab)
      return `[read_file for '${file.path}'] Result:\n${codeBody(rng, vocab, file.language, targetChars)}`
    }
    case 'execute_command':
      return `Command executed. Output:\n${commandOutput(rng, vocab, targetChars)}`
    case 'search_files':
      return `Found ${rng.int(1, 60)} results.\n${searchOutput(rng, vocab, targetChars)}`
    case 'write_to_file':
      return `The content was successfully saved to ${filePath(rng, vocab).path}.`
  }
}
