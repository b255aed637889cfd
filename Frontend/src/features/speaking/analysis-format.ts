// The analysis is whatever JSON the worker stored; show every field, and format the ones whose names say a unit.

export type AnalysisRow =
  | { kind: 'value'; label: string; value: string }
  | { kind: 'series'; label: string; values: number[] }

// A unit suffix is dropped from the label (the value shows the unit); `keepInLabel` when the word is the meaning.
const units: { suffix: RegExp; format: (n: number) => string; keepInLabel?: boolean }[] = [
  { suffix: /_?(seconds|secs|sec)$/i, format: (n) => `${round(n, 2)} s` },
  { suffix: /_?ms$/, format: (n) => `${Math.round(n)} ms` },
  { suffix: /_?hz$/i, format: (n) => `${Math.round(n)} Hz` },
  { suffix: /_?(dbfs|db)$/i, format: (n) => `${round(n, 1)} dB` },
  { suffix: /(ratio|fraction|percent)$/i, format: (n) => `${Math.round(n <= 1 ? n * 100 : n)} %`, keepInLabel: true },
  { suffix: /_?per_?second$/i, format: (n) => `${round(n, 1)} /s` },
  { suffix: /^xp|xp$/i, format: (n) => `+${n} XP`, keepInLabel: true },
]

const acronyms: Record<string, string> = { xp: 'XP', rms: 'RMS', wav: 'WAV', id: 'ID' }

export function analysisRows(result: unknown): AnalysisRow[] {
  const rows: AnalysisRow[] = []
  visit(result, [], rows)
  return rows
}

function visit(value: unknown, path: string[], rows: AnalysisRow[]) {
  const key = path[path.length - 1] ?? ''
  const unit = typeof value === 'number' ? units.find((u) => u.suffix.test(key)) : undefined
  const shownKey = unit && !unit.keepInLabel ? key.replace(unit.suffix, '') || key : key
  const label = [...path.slice(0, -1), shownKey].filter(Boolean).map(humanize).join(' · ') || 'Result'
  if (value === null || value === undefined) return
  if (Array.isArray(value)) {
    const numbers = value.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    if (numbers.length === value.length && numbers.length > 1) rows.push({ kind: 'series', label, values: numbers })
    else if (value.length > 0) rows.push({ kind: 'value', label, value: value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ') })
    return
  }
  if (typeof value === 'object') {
    for (const [child, childValue] of Object.entries(value)) visit(childValue, [...path, child], rows)
    return
  }
  if (typeof value === 'number') {
    rows.push({ kind: 'value', label, value: unit ? unit.format(value) : String(round(value, 3)) })
    return
  }
  rows.push({ kind: 'value', label, value: typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value) })
}

/** "voicedFrameRatio" → "Voiced frame ratio"; "rms_level" → "RMS level". */
export function humanize(key: string): string {
  const words = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .map((word) => acronyms[word] ?? word)
    .join(' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}
