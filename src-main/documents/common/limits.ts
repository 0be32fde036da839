/** Limits on a document, shared by the document service, the import rules and the UI. */

/** Longest document body, in UTF-16 code units (about 5 MB of English text). */
export const MAX_BODY_CHARS = 5_000_000;
