const count = new Intl.NumberFormat()
const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' })
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })

export const formatCount = (n: number): string => count.format(n)
export const formatCost = (n: number): string => money.format(n)
export const formatDay = (epochMs: number): string => day.format(epochMs)
export const formatTime = (epochMs: number): string => time.format(epochMs)
