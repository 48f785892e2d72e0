import { describe, expect, it } from 'vitest'
import type { Message } from '../../../shared/domain'
import { fenceXmlBlocks, imageParts, toolInput, toolName, toolSubject } from './message-parts'

const message = (fields: Partial<Message>): Message => ({
  id: 'm',
  conversationId: 'c',
  ordinal: 0,
  role: 'assistant',
  kind: 'text',
  createdAt: null,
  text: '',
  content: null,
  deviceId: null,
  parentId: null,
  metadata: {},
  ...fields,
})

// The shape the Claude Code importer keeps for a tool call (from the real sample files).
const readCall = message({
  kind: 'tool_call',
  text: 'Read {"file_path":"/src/renderer.py","offset":38,"limit":40}',
  content: [
    { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/src/renderer.py', offset: 38 } },
  ],
})

describe('tool calls', () => {
  it('name the tool, the file it reads and its input as indented JSON', () => {
    expect(toolName(readCall)).toBe('Read')
    expect(toolSubject(readCall)).toBe('/src/renderer.py')
    expect(toolInput(readCall)).toBe('{\n  "file_path": "/src/renderer.py",\n  "offset": 38\n}')
  })

  it('fall back to the text when the source kept no blocks', () => {
    const bare = message({ kind: 'tool_call', text: 'execute_command {"command":"ls"}', content: null })
    expect(toolName(bare)).toBe('execute_command')
    expect(toolInput(bare)).toBe('{\n  "command": "ls"\n}')
    expect(toolSubject(bare)).toBe('')
  })

  it('keep a text that is not JSON as it is (bad input: a truncated input)', () => {
    const truncated = message({ kind: 'tool_call', text: 'Edit {"file_path":"/a", "old_str…', content: null })
    expect(toolInput(truncated)).toBe('{"file_path":"/a", "old_str…')
  })
})

describe('imageParts', () => {
  it('finds image references at the top and inside tool results, with or without kept bytes', () => {
    const withImages = message({
      content: [
        { type: 'text', text: 'look' },
        { type: 'image', omitted: true, mediaType: 'image/png', bytes: 1536, sha256: 'a'.repeat(64) },
        {
          type: 'tool_result',
          content: [{ type: 'image', omitted: true, mediaType: null, bytes: 3000 }],
        },
      ],
    })
    expect(imageParts(withImages)).toEqual([
      { mediaType: 'image/png', bytes: 1536, sha256: 'a'.repeat(64) },
      { mediaType: null, bytes: 3000, sha256: null },
    ])
    expect(imageParts(readCall)).toEqual([])
  })
})

describe('fenceXmlBlocks', () => {
  it('fences the XML tool calls Roo writes inside its text, and leaves prose and code fences alone', () => {
    const roo =
      'Je vais lire le fichier.\n\n<read_file>\n<path>src/a.ts</path>\n</read_file>\n\nPuis <b>rien</b>.'
    expect(fenceXmlBlocks(roo)).toBe(
      'Je vais lire le fichier.\n\n```xml\n<read_file>\n<path>src/a.ts</path>\n</read_file>\n```\n\nPuis <b>rien</b>.',
    )
    const fenced = '```html\n<div>\n</div>\n```'
    expect(fenceXmlBlocks(fenced)).toBe(fenced)
  })

  it('closes a block that a cut-short message left open (bad input: a truncated message)', () => {
    expect(fenceXmlBlocks('<environment_details>\n# VSCode\n</')).toBe(
      '```xml\n<environment_details>\n# VSCode\n</\n```',
    )
  })
})
