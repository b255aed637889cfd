// The analysis is whatever JSON the task stored; show its figures, and format the ones whose names say a unit.

export type AnalysisRow =
  | { kind: 'value'; label: string; value: string }
  | { kind: 'series'; label: string; values: number[] }

// A unit is the key's last word(s) ("durationMs", "mean_hz"), never part of one: "rms" is not milliseconds.
// The unit's words are dropped from the label (the value shows the unit); `keepInLabel` when the words are the meaning.
const units: { words: string[][]; format: (n: number) => string; keepInLabel?: boolean }[] = [
  { words: [['seconds'], ['secs'], ['sec']], format: (n) => `${round(n, 2)} s` },
  { words: [['ms']], format: (n) => `${Math.round(n)} ms` },
  { words: [['hz']], format: (n) => `${Math.round(n)} Hz` },
  { words: [['dbfs'], ['db']], format: (n) => `${round(n, 1)} dB` },
  { words: [['ratio'], ['fraction'], ['percent']], format: (n) => `${Math.round(n <= 1 ? n * 100 : n)} %`, keepInLabel: true },
  { words: [['per', 'second']], format: (n) => `${round(n, 1)} /s` },
  { words: [['xp']], format: (n) => `+${n} XP`, keepInLabel: true },
]

const acronyms: Record<string, string> = { xp: 'XP', rms: 'RMS', wav: 'WAV', id: 'ID' }

// The result's own wrapper: its fields are shown as the analysis itself, without an "Analysis ·" prefix.
const wrapperKey = 'analysis'

export function analysisRows(result: unknown): AnalysisRow[] {
  const rows: AnalysisRow[] = []
  visit(result, [], rows)
  // A raw figure next to the same figure with a unit ("rms" and "rmsDbfs") would show twice under one label.
  const labels = new Map<string, number>()
  for (const row of rows) labels.set(row.label, (labels.get(row.label) ?? 0) + 1)
  return rows.filter((row) => !(row.kind === 'value' && labels.get(row.label)! > 1 && !/[a-z%]$/i.test(row.value)))
}

function visit(value: unknown, path: string[], rows: AnalysisRow[]) {
  if (value === null || value === undefined) return
  const key = path[path.length - 1] ?? ''
  const words = splitWords(key)
  // Ids name records, they are not figures of the recording.
  if (words.length > 1 && words[words.length - 1] === 'id') return
  const unit = typeof value === 'number' ? findUnit(words) : undefined
  const shownWords = unit && !unit.keepInLabel && words.length > unit.length ? words.slice(0, words.length - unit.length) : words
  const label = [...path.slice(0, -1).map((p) => humanize(p)), humanizeWords(shownWords)].filter(Boolean).join(' · ') || 'Result'
  if (Array.isArray(value)) {
    const numbers = value.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    if (numbers.length === value.length && numbers.length > 1) rows.push({ kind: 'series', label, values: numbers })
    else if (value.length > 0) rows.push({ kind: 'value', label, value: value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ') })
    return
  }
  if (typeof value === 'object') {
    const nested = path.length === 0 ? [] : path
    for (const [child, childValue] of Object.entries(value)) {
      visit(childValue, path.length === 0 && child === wrapperKey ? [] : [...nested, child], rows)
    }
    return
  }
  if (typeof value === 'number') {
    rows.push({ kind: 'value', label, value: unit ? unit.format(value) : String(round(value, 3)) })
    return
  }
  rows.push({ kind: 'value', label, value: typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value) })
}

function findUnit(words: string[]): { format: (n: number) => string; keepInLabel?: boolean; length: number } | undefined {
  for (const unit of units) {
    for (const unitWords of unit.words) {
      const tail = words.slice(-unitWords.length)
      if (tail.length === unitWords.length && tail.every((word, i) => word === unitWords[i])) {
        return { format: unit.format, keepInLabel: unit.keepInLabel, length: unitWords.length }
      }
    }
  }
  // XP first ("xpAwarded") reads as well as last.
  return words[0] === 'xp' ? { format: (n) => `+${n} XP`, keepInLabel: true, length: 0 } : undefined
}

/** "voicedFrameRatio" → ["voiced", "frame", "ratio"]; "rms_level" → ["rms", "level"]. */
function splitWords(key: string): string[] {
  return key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
}

/** "voicedFrameRatio" → "Voiced frame ratio"; "rms_level" → "RMS level". */
export function humanize(key: string): string {
  return humanizeWords(splitWords(key))
}

function humanizeWords(words: string[]): string {
  const text = words.map((word) => acronyms[word] ?? word).join(' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}
