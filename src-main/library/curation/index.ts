/**
 * The library's curation (SymbioticRAG Level 1): the log of pins, excludes, ratings, rewrites and
 * opened passages, the state of each passage folded from it, applied to search hits.
 */
export { CurationLog, MAX_LOGGED_QUERY_CHARS, type CuratedPassageRef, type NewCurationEvent } from './curation-log';
export { applyCuration, foldCuration, type CuratedFields, type PassageCuration } from './curation-state';
