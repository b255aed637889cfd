import type { Grade } from './api/study-api'

export interface GradeOption {
  grade: Grade
  label: string
  hint: string
}

export const gradeOptions: readonly GradeOption[] = [
  { grade: 0, label: 'Blank', hint: 'No idea at all' },
  { grade: 1, label: 'Wrong', hint: 'Wrong, but it rang a bell' },
  { grade: 2, label: 'Almost', hint: 'Wrong, the answer felt familiar' },
  { grade: 3, label: 'Hard', hint: 'Right, with real effort' },
  { grade: 4, label: 'Good', hint: 'Right after a moment' },
  { grade: 5, label: 'Easy', hint: 'Right straight away' },
]

/** The grade a key press means ('0'…'5'), or undefined for any other key. */
export function gradeForKey(key: string): Grade | undefined {
  return /^[0-5]$/.test(key) ? (Number(key) as Grade) : undefined
}
