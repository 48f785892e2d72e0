/**
 * RFC 4180 CSV: values with commas, quotes, CR and LF survive a round trip, whatever the chunk boundaries; bad
 * input (a stray quote, a file ending inside quotes) is refused with the line it is on. Values a spreadsheet would
 * run as formulas are written as text and read back exactly, as are values that really start with a quote.
 */
import { describe, expect, it } from 'vitest'
import { asSpreadsheetText, csvParser, csvRow, CsvSyntaxError, fromSpreadsheetText } from './csv'

const rows = [
  ['seq', 'summary', 'data'],
  ['1', 'plain', '{}'],
  ['2', 'a, b', 'say "hi"'],
  ['3', 'line one\nline two\r\nline three', ''],
  ['4', '', '"'],
]

const parseAll = (text: string, chunk: number) => {
  const parser = csvParser()
  const out: string[][] = []
  for (let i = 0; i < text.length; i += chunk) out.push(...parser.push(text.slice(i, i + chunk)))
  const last = parser.end()
  return last ? [...out, last] : out
}

describe('csv', () => {
  it('quotes only what needs quoting and ends rows in CRLF', () => {
    expect(csvRow(['1', 'a, b', 'say "hi"', 'x\ny'])).toBe('1,"a, b","say ""hi""","x\ny"\r\n')
  })

  it('round-trips awkward values at every chunk size', () => {
    const text = rows.map(csvRow).join('')
    for (const chunk of [1, 2, 3, 7, 64, text.length])
      expect(parseAll(text, chunk), `chunks of ${chunk}`).toEqual(rows)
  })

  it('reads LF line ends and a last row without one', () => {
    expect(parseAll('a,b\n1,2', 4)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
  })

  it('refuses a quote inside an unquoted field, text after a closing quote, and a file ending inside quotes', () => {
    expect(() => parseAll('a,b"c\r\n', 100)).toThrow(CsvSyntaxError)
    expect(() => parseAll('"a"b,c\r\n', 100)).toThrow(
      /line 1: a quoted field goes on after its closing quote/,
    )
    expect(() => parseAll('x\r\n"open', 100)).toThrow(/line 2: the file ends inside a quoted field/)
  })
})

describe('spreadsheet text', () => {
  const formulas = ['=HYPERLINK("http://x","y")', '+1', '-1+2', '@SUM(A1)', '\tx', '\rx', '=', '-']
  const quoted = ["'=1+1", "''@x", "'", "''", "'plain", "it's"]
  const plain = ['', 'plain', ' =1', 'a=b', '1-2', '{"a":-1}']

  it('puts a quote before a formula, and one more before quotes that come before one', () => {
    for (const value of formulas) expect(asSpreadsheetText(value)).toBe(`'${value}`)
    expect(asSpreadsheetText("'=1+1")).toBe("''=1+1")
    expect(asSpreadsheetText("''@x")).toBe("'''@x")
  })

  it('leaves every other value as it is, a leading quote included', () => {
    for (const value of [...plain, "'", "''", "'plain", "it's"]) expect(asSpreadsheetText(value)).toBe(value)
  })

  it('reads every value back exactly, and writes none that starts with = + - @ tab or CR', () => {
    for (const value of [...formulas, ...quoted, ...plain]) {
      const written = asSpreadsheetText(value)
      expect(written).not.toMatch(/^[=+\-@\t\r]/)
      expect(fromSpreadsheetText(written), JSON.stringify(value)).toBe(value)
    }
  })
})
