/**
 * A message body as it travels: its SQL text, structured content and metadata, back exactly as they were. Bad
 * input, each named (an authentic pack from a machine that wrote something else): bytes that are not JSON, JSON
 * that is not [text, content, metadata], content that is not JSON, metadata that is not a JSON object; a later
 * build's extra elements are read past.
 */
import { describe, expect, it } from 'vitest'
import { decodeMessageBody, encodeMessageBody, MessageBodyError } from './message-body'

const bytes = (text: string) => Buffer.from(text, 'utf8')

describe('a message body', () => {
  it('comes back as it was, metadata included, and equal bodies encode to equal bytes', () => {
    const body = {
      text: 'Résumé: ✓ done\nnext line',
      content: '[{"type":"tool_use","name":"bash"}]',
      metadata: '{"model":"claude-opus-4-1","stopReason":"tool_use"}',
    }
    expect(decodeMessageBody(encodeMessageBody(body))).toEqual(body)
    const plain = { text: 'plain', content: null, metadata: '{}' }
    expect(decodeMessageBody(encodeMessageBody(plain))).toEqual(plain)
    expect(encodeMessageBody(body).equals(encodeMessageBody({ ...body }))).toBe(true)
  })

  it('leaves empty metadata out, so such a body keeps the bytes (and address) an older build gave it', () => {
    expect(encodeMessageBody({ text: 'a', content: null, metadata: '{}' }).toString()).toBe('["a",null]')
    expect(decodeMessageBody(bytes('["a",null]'))).toEqual({ text: 'a', content: null, metadata: '{}' })
  })

  it('refuses bytes that are not a body, naming why', () => {
    for (const [input, why] of [
      ['{"text":', /not JSON/],
      ['{"text":"a","content":null}', /\[text, content, metadata\]/],
      ['["only text"]', /\[text, content, metadata\]/],
      ['[1, null]', /\[text, content, metadata\]/],
      ['["a", 5]', /\[text, content, metadata\]/],
      ['["a", null, {"model":"opus"}]', /\[text, content, metadata\]/],
      ['["a", "{not json"]', /structured content is not JSON/],
      ['["a", null, "{not json"]', /metadata is not a JSON object/],
      ['["a", null, "[1]"]', /metadata is not a JSON object/],
      ['["a", null, "null"]', /metadata is not a JSON object/],
    ] as const)
      expect(() => decodeMessageBody(bytes(input)), input).toThrow(
        expect.objectContaining({ message: expect.stringMatching(why) as unknown }) as Error,
      )
    expect(() => decodeMessageBody(bytes('[]'))).toThrow(MessageBodyError)
  })

  it("reads past a later build's extra elements", () => {
    expect(decodeMessageBody(bytes('["a", null, "{\\"model\\":\\"opus\\"}", {"later":1}]'))).toEqual({
      text: 'a',
      content: null,
      metadata: '{"model":"opus"}',
    })
  })
})
