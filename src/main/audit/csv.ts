/**
 * RFC 4180 CSV: fields holding a comma, a double quote, CR or LF are quoted, quotes doubled, records end in CRLF.
 * The parser is incremental (text arrives in chunks of any size) and accepts LF endings too.
 */

export const csvField = (value: string): string =>
  /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value

export const csvRow = (values: readonly string[]): string => `${values.map(csvField).join(',')}\r\n`

export class CsvSyntaxError extends Error {}

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
      for (let i = 0; i < text.length; i += 1) {
        const ch = text[i] as string
        if (quoted && !quoteSeen) {
          if (ch === '"') quoteSeen = true
          else {
            if (ch === '\n') line += 1
            field += ch
          }
          continue
        }
        if (quoteSeen) {
          quoteSeen = false
          if (ch === '"') {
            field += '"'
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
        } else {
          if (ch === '"') throw new CsvSyntaxError(`line ${line}: a quote inside an unquoted field`)
          field += ch
          atFieldStart = false
        }
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
