/**
 * A message body as it travels: its SQL text and structured content, back exactly as they were. Bad input, each
 * named (an authentic pack from a machine that wrote something else): bytes that are not JSON, JSON that is not
 * [text, content], content that is not JSON; a later build's extra elements are read past.
 */
import { describe, expect, it } from 'vitest'
import { decodeMessageBody, encodeMessageBody, MessageBodyError } from './message-body'

const bytes = (text: string) => Buffer.from(text, 'utf8')

describe('a message body', () => {
  it('comes back as it was, and equal bodies encode to equal bytes', () => {
    const body = { text: 'Résumé: ✓ done\nnext line', content: '[{"type":"tool_use","name":"bash"}]' }
    expect(decodeMessageBody(encodeMessageBody(body))).toEqual(body)
    expect(decodeMessageBody(encodeMessageBody({ text: 'plain', content: null }))).toEqual({
      text: 'plain',
      content: null,
    })
    expect(encodeMessageBody(body).equals(encodeMessageBody({ ...body }))).toBe(true)
  })

  it('refuses bytes that are not a body, naming why', () => {
    for (const [input, why] of [
      ['{"text":', /not JSON/],
      ['{"text":"a","content":null}', /\[text, content\]/],
      ['["only text"]', /\[text, content\]/],
      ['[1, null]', /\[text, content\]/],
      ['["a", 5]', /\[text, content\]/],
      ['["a", "{not json"]', /structured content is not JSON/],
    ] as const)
      expect(() => decodeMessageBody(bytes(input)), input).toThrow(
        expect.objectContaining({ message: expect.stringMatching(why) as unknown }) as Error,
      )
    expect(() => decodeMessageBody(bytes('[]'))).toThrow(MessageBodyError)
  })

  it("reads past a later build's extra elements", () => {
    expect(decodeMessageBody(bytes('["a", null, {"model":"opus"}]'))).toEqual({ text: 'a', content: null })
  })
})
