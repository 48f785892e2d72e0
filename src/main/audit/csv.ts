/**
 * RFC 4180 CSV: fields holding a comma, a double quote, CR or LF are quoted, quotes doubled, records end in CRLF.
 * The parser is incremental (text arrives in chunks of any size) and accepts LF endings too.
 */

export const csvField = (value: string): string =>
  /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value

export const csvRow = (values: readonly string[]): string => `${values.map(csvField).join(',')}\r\n`

/**
 * Spreadsheets take a cell that starts with = + - or @ (and, in some, a tab or CR) as a formula: a device named
 * `=HYPERLINK("http://x","y")` would become a link, and worse formulas run commands. OWASP's rule for CSV
 * injection: such a value gets a leading single quote, and spreadsheets show it as text. So that a reader gets the
 * value back exactly, a value that is already quotes before one of those characters gets one more quote too, and
 * only there is a quote taken off: any other value that starts with a quote is written and read as it is.
 */
const FORMULA = /^'*[=+\-@\t\r]/
const NEUTRALISED_FORMULA = /^'+[=+\-@\t\r]/

export const asSpreadsheetText = (value: string): string => (FORMULA.test(value) ? `'${value}` : value)

/** The value `asSpreadsheetText` was given. */
export const fromSpreadsheetText = (value: string): string =>
  NEUTRALISED_FORMULA.test(value) ? value.slice(1) : value

export class CsvSyntaxError extends Error {}

/** What ends an unquoted run of characters. */
const SPECIAL = /[",\r\n]/g

/** Feeds text in, takes complete rows out; `end()` returns the last row when the text did not end in a newline. */
export function csvParser() {
  let field = ''
  let row: string[] = []
  let quoted = false
  /** Inside quotes, a quote was just seen: either the end of the field or the first of a doubled pair. */
  let quoteSeen = false
  let atFieldStart = true
  let line = 1

  const endField = () => {
    row.push(field)
    field = ''
    atFieldStart = true
    quoted = false
  }

  return {
    push(text: string): string[][] {
      const rows: string[][] = []
      let i = 0
      while (i < text.length) {
        if (quoted && !quoteSeen) {
          // Inside quotes everything up to the next quote is the field's (a million-row file: no loop per char).
          const quote = text.indexOf('"', i)
          const piece = text.slice(i, quote === -1 ? text.length : quote)
          field += piece
          for (let at = piece.indexOf('\n'); at !== -1; at = piece.indexOf('\n', at + 1)) line += 1
          if (quote === -1) break
          quoteSeen = true
          i = quote + 1
          continue
        }
        const ch = text[i] as string
        if (quoteSeen) {
          quoteSeen = false
          if (ch === '"') {
            field += '"'
            i += 1
            continue
          }
          // The closing quote: only a separator or a line end may follow.
          if (ch !== ',' && ch !== '\r' && ch !== '\n')
            throw new CsvSyntaxError(`line ${line}: a quoted field goes on after its closing quote`)
          quoted = false
        }
        if (ch === '"' && atFieldStart) {
          quoted = true
          atFieldStart = false
        } else if (ch === ',') endField()
        else if (ch === '\n') {
          endField()
          rows.push(row)
          row = []
          line += 1
        } else if (ch === '\r') {
          // CR is part of the CRLF line end; a lone CR outside quotes is not valid CSV.
          if (text[i + 1] !== undefined && text[i + 1] !== '\n')
            throw new CsvSyntaxError(`line ${line}: a CR that is not part of a line end`)
        } else if (ch === '"') throw new CsvSyntaxError(`line ${line}: a quote inside an unquoted field`)
        else {
          // An unquoted run: up to the next character that means something.
          SPECIAL.lastIndex = i
          const next = SPECIAL.exec(text)?.index ?? text.length
          field += text.slice(i, next)
          atFieldStart = false
          i = next
          continue
        }
        i += 1
      }
      return rows
    },
    end(): string[] | null {
      if (quoted && !quoteSeen) throw new CsvSyntaxError(`line ${line}: the file ends inside a quoted field`)
      if (atFieldStart && field === '' && row.length === 0) return null
      endField()
      const last = row
      row = []
      return last
    },
  }
}
