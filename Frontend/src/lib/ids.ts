/** Ids as the Api sends them: kept as they came (number or GUID string) and sent back unchanged. */
export type Id = string | number
