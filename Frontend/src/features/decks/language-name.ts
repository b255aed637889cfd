/** "el" → "Greek", falling back to the tag itself where the browser has no name for it. */
export function languageName(tag: string, displayLocale = 'en'): string {
  try {
    return new Intl.DisplayNames([displayLocale], { type: 'language' }).of(tag) ?? tag
  } catch {
    return tag
  }
}
