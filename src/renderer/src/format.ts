const count = new Intl.NumberFormat()
const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' })
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })
const shortTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' })

export const formatCount = (n: number): string => count.format(n)
export const formatCost = (n: number): string => money.format(n)
export const formatDay = (epochMs: number): string => day.format(epochMs)
export const formatTime = (epochMs: number): string => time.format(epochMs)
export const formatShortTime = (epochMs: number): string => shortTime.format(epochMs)

const SOURCE_LABELS: Record<string, string> = {
  roo: 'Roo Code',
  cline: 'Cline',
  'claude-code': 'Claude Code',
  chatgpt: 'ChatGPT',
  chronicle: 'Chronicle',
}
/** The assistant a conversation came from, as its users call it. */
export const formatSource = (source: string): string => SOURCE_LABELS[source] ?? source
