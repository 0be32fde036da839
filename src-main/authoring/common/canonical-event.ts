/**
 * The hash chain's canonical form, independent of the database so a bundle verifies anywhere:
 *
 *   genesis    = sha256hex(utf8("palimpsest-provenance-v1"))
 *   hash(e)    = sha256hex(utf8(JSON.stringify([
 *                  "palimpsest-event-v1", e.prevHash, documentId, e.seq, e.at, e.authorId, e.kind,
 *                  e.operation, e.from, e.to, e.insert, e.deleted,
 *                  e.source ? [e.source.from, e.source.to] : null ])))
 *
 * `generationId` is not hashed: it links into the generation log, whose pruning clears it
 * (`ON DELETE SET NULL`), and that must not read as tampering. Who wrote what is all covered.
 *
 * JSON.stringify of an array of strings, integers and null is fully specified by ECMA-262 (no key
 * order, no whitespace), so any language with a JSON encoder can recompute it.
 */
import type { ProvenanceEvent } from './contract';

export const GENESIS_SEED = 'palimpsest-provenance-v1';

/** A sha256 hex digest of a string's UTF-8 bytes (node:crypto in the core; injected so this stays pure). */
export type Sha256Hex = (text: string) => string;

/** The string whose sha256 is the event's hash. */
export function canonicalEvent(documentId: string, e: Omit<ProvenanceEvent, 'hash'>): string {
  return JSON.stringify([
    'palimpsest-event-v1',
    e.prevHash,
    documentId,
    e.seq,
    e.at,
    e.authorId,
    e.kind,
    e.operation,
    e.from,
    e.to,
    e.insert,
    e.deleted,
    e.source ? [e.source.from, e.source.to] : null,
  ]);
}

/** The hash an event must carry. */
export function eventHash(sha256: Sha256Hex, documentId: string, e: Omit<ProvenanceEvent, 'hash'>): string {
  return sha256(canonicalEvent(documentId, e));
}
