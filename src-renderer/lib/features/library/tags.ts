/** Tags as a writer types them ("methods, ch2 methods") and as the Library view shows them. */

/** The most tags one document keeps, and the longest tag (the API's bound). */
export const MAX_TAGS = 100;
export const MAX_TAG_LENGTH = 200;

/** Distinct, trimmed tags from a comma-separated field; empty ones dropped, each cut to the longest allowed. */
export function parseTags(field: string): string[] {
  const seen = new Set<string>();
  for (const raw of field.split(',')) {
    const tag = raw.trim().replace(/\s+/g, ' ').slice(0, MAX_TAG_LENGTH);
    if (tag) seen.add(tag);
  }
  return [...seen].slice(0, MAX_TAGS);
}

/** The field text for a document's tags. */
export const formatTags = (tags: readonly string[]): string => tags.join(', ');
