/**
 * The tool results in a request's markdown, by the rules the assistants write it with (formatContentBlockToMarkdown:
 * blocks joined by blank lines; the XML protocol's `${toolDescription()} Result:` text block; the native protocol's
 * `[Tool]` / `[Tool (Error)]`), not by one sample's shapes.
 */
import { describe, expect, it } from 'vitest'
import { readRequest } from './api-request'
import { environment } from './test-task-rows'

const ENV = environment('/w', 'model-a')
const results = (request: string) => readRequest(request).results

describe('tool results in a request', () => {
  it('a description quoting a multi-paragraph message, with markdown links, closes at its `] Result:`', () => {
    const description =
      "[new_task in 🪲 Debug mode: '**MISSION**\n\n[link text](docs/a.md) and [b](c)\n\n- [x] done'"
    expect(results(`${description}] Result:\n\nSuccessfully created new task.\n\n${ENV}`)).toEqual([
      { description: `${description}]`, text: 'Successfully created new task.' },
    ])
  })

  it("output lines that look like brackets stay in the output; Roo's one-line subtask result is read", () => {
    const output = '[vite] hmr update\n\n[INFO] BUILD SUCCESS\n\n[see the docs](https://x) for more'
    expect(results(`[execute_command for 'npm run build'] Result:\n\n${output}\n\n${ENV}`)).toEqual([
      { description: "[execute_command for 'npm run build']", text: output },
    ])
    expect(results('[new_task completed] Result: The subtask is done.')).toEqual([
      { description: '[new_task completed]', text: 'The subtask is done.' },
    ])
  })

  it('native tool results, errors included, one section each', () => {
    const request = `[Tool]\nfile one\n\n[Tool (Error)]\nENOENT: no such file\n\n[Tool Result]\nold Cline\n\n${ENV}`
    expect(results(request)).toEqual([
      { description: '[Tool]', text: 'file one' },
      { description: '[Tool (Error)]', text: 'ENOENT: no such file' },
      { description: '[Tool Result]', text: 'old Cline' },
    ])
  })

  it("the user's words are not a result: answers and new instructions are taken out, feedback's wording stays", () => {
    expect(
      results(`[ask_followup_question for 'Which one?'] Result:\n\n<answer>\nThe first\n</answer>\n\n${ENV}`),
    ).toEqual([])
    const resumed = `[update_todo_list] Result:\n\nTodo list updated.\n\n${ENV}\n\n\n\nNew instructions for task continuation:\n<user_message>\nGo on\n</user_message>\n\n${ENV}`
    expect(results(resumed)).toEqual([{ description: '[update_todo_list]', text: 'Todo list updated.' }])
    const feedback = `[attempt_completion] Result:\n\nThe user has provided feedback.\n<feedback>\nNot yet\n</feedback>\n\n${ENV}`
    expect(results(feedback)).toEqual([
      { description: '[attempt_completion]', text: 'The user has provided feedback.' },
    ])
  })

  it('a prompt, a request still loading and a request that is not text give no result', () => {
    expect(results(`<task>\nDo [this] Result: now\n</task>\n\n${ENV}`)).toEqual([])
    expect(results("[read_file for 'a.ts'] Result:\n\nbody\n\nLoading...")).toEqual([
      { description: "[read_file for 'a.ts']", text: 'body' },
    ])
    expect(readRequest(undefined)).toEqual({ results: [], environment: {} })
    expect(readRequest(42)).toEqual({ results: [], environment: {} })
  })

  it('names the first workspace and the last model of its environment details', () => {
    const request = `[x] Result:\n\nok\n\n${ENV}\n\n${environment('/other', 'model-b')}`
    expect(readRequest(request).environment).toEqual({ workspace: '/w', model: 'model-b' })
  })

  it('stays linear on a large output full of lines that open like a description', () => {
    const output = Array.from({ length: 20_000 }, (_, i) => `[link ${i}](https://example.com/${i})`).join(
      '\n',
    )
    const started = performance.now()
    const [result] = results(`[read_file for 'links.md'] Result:\n\n${output}\n\n[x] Result:\n\nend`)
    expect(result?.text).toBe(output)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})
