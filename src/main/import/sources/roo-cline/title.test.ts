/** Titles are plain text: a prompt's markdown marks are formatting, not words (finding 7 of issue 21). */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { rooCodeAdapter } from './index'
import { readOnly, writeTask } from './test-folders'
import { titleFrom } from './title'

const scratch = useScratch()

describe('titles from markdown prompts', () => {
  it.each([
    [
      '**MISSION ARCHITECTURALE CRITIQUE : Analyse** du code',
      'MISSION ARCHITECTURALE CRITIQUE : Analyse du code',
    ],
    ['## *Fix* the `login` bug in [auth.ts](src/auth.ts) __now__', 'Fix the login bug in auth.ts now'],
    ['> ***Both*** ~~old~~ marks ###', 'Both old marks'],
    ['- a list item with **bold**', 'a list item with bold'],
    ['---\n\n🏗️ **MISSION** : ok', '🏗️ MISSION : ok'],
    // Marks that are part of words stay: identifiers, arithmetic, a lone asterisk.
    ['rename snake_case_name to 2*3*4 * please', 'rename snake_case_name to 2*3*4 * please'],
    [
      '<task>\n# **Refactor** `parser.ts`\n</task>\n<environment_details>x</environment_details>',
      'Refactor parser.ts',
    ],
  ])('%j → %j', (prompt, title) => {
    expect(titleFrom(prompt)).toBe(title)
  })

  it('a Roo task whose first row is bold markdown gets a plain title', async () => {
    const dir = writeTask(scratch.dir(), 'task-md', {
      'ui_messages.json': [{ ts: 1, type: 'say', say: 'text', text: '**PHASE 2 :** Corriger `parser.ts`' }],
    })
    const { conversation } = await readOnly(rooCodeAdapter, dir)
    expect(conversation.title).toBe('PHASE 2 : Corriger parser.ts')
  })
})
