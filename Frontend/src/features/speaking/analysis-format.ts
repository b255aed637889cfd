// The analysis is whatever JSON the worker stored; show every field, and format the ones whose names say a unit.

export type AnalysisRow =
  | { kind: 'value'; label: string; value: string }
  | { kind: 'series'; label: string; values: number[] }

const unitSuffixes: [RegExp, (n: number) => string][] = [
  [/(seconds|secs|sec)$/i, (n) => `${round(n, 2)} s`],
  [/ms$/, (n) => `${Math.round(n)} ms`],
  [/hz$/i, (n) => `${Math.round(n)} Hz`],
  [/(dbfs|db)$/i, (n) => `${round(n, 1)} dB`],
  [/(ratio|fraction|percent)$/i, (n) => `${Math.round(n <= 1 ? n * 100 : n)} %`],
  [/(persecond|per_second)$/i, (n) => `${round(n, 1)} /s`],
  [/^xp|xp$/i, (n) => `+${n} XP`],
]

export function analysisRows(result: unknown): AnalysisRow[] {
  const rows: AnalysisRow[] = []
  visit(result, [], rows)
  return rows
}

function visit(value: unknown, path: string[], rows: AnalysisRow[]) {
  const key = path[path.length - 1] ?? ''
  const label = path.map(humanize).join(' · ') || 'Result'
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
    const unit = unitSuffixes.find(([pattern]) => pattern.test(key))
    rows.push({ kind: 'value', label, value: unit ? unit[1](value) : String(round(value, 3)) })
    return
  }
  rows.push({ kind: 'value', label, value: typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value) })
}

/** "voicedFrameRatio" → "Voiced frame ratio"; "pitch_mean_hz" → "Pitch mean hz". */
export function humanize(key: string): string {
  const words = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}
