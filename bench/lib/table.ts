/** Plain-text tables for stdout: numbers right-aligned, text left-aligned. */

export type Cell = string | number | null
export interface Table {
  readonly title: string
  readonly headers: readonly string[]
  readonly rows: readonly (readonly Cell[])[]
  readonly note?: string
  /** Columns always shown with 2 decimals, like milliseconds, even when a value happens to be whole. */
  readonly fixed?: readonly string[]
}

const twoDecimals = (n: number): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

function show(cell: Cell, fixed: boolean): string {
  if (cell === null) return '–'
  if (typeof cell === 'string') return cell
  if (Number.isNaN(cell)) return 'n/a'
  if (fixed) return twoDecimals(cell)
  // Integers as counts; fractions with 2 decimals (milliseconds, percentages), small ones with 2 significant digits
  // so a ratio of 0.004 does not print as 0.00.
  if (Number.isInteger(cell)) return cell.toLocaleString('en-US')
  if (Math.abs(cell) < 0.1) return cell.toPrecision(2)
  return twoDecimals(cell)
}

/** Chinese and Japanese characters take two columns in a terminal. */
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\u30fc\uff01-\uff60]/gu
const width = (text: string): number => text.length + (text.match(WIDE)?.length ?? 0)
const pad = (text: string, to: number, left: boolean): string => {
  const fill = ' '.repeat(Math.max(0, to - width(text)))
  return left ? fill + text : text + fill
}

export function formatTable(table: Table): string {
  const fixed = table.headers.map((h) => table.fixed?.includes(h) ?? false)
  const cells = [
    table.headers,
    ...table.rows.map((row) => row.map((cell, col) => show(cell, fixed[col] ?? false))),
  ]
  const widths = table.headers.map((_, col) => Math.max(...cells.map((row) => width(row[col] ?? ''))))
  const numeric = table.headers.map((_, col) => table.rows.every((row) => typeof row[col] !== 'string'))
  const line = (row: readonly string[]): string =>
    row
      .map((cell, col) => pad(cell, widths[col] ?? 0, numeric[col] ?? false))
      .join('  ')
      .trimEnd()
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  const [head, ...body] = cells
  const out = [`## ${table.title}`, line(head ?? []), rule, ...body.map(line)]
  if (table.note) out.push(table.note)
  return out.join('\n')
}
