/**
 * The self-contained provenance bundle and its verifier (pure: the hash function is injected).
 * `digest` covers what the event chain does not: document id and title, the authors, the text and
 * the head, so changing any byte of a bundle's content is detected.
 */
import { z } from 'zod';
import type { Sha256Hex } from './canonical-event';
import type { ProvenanceBundle, VerifyResult } from './contract';
import { verifyChain } from './verify-chain';

const kind = z.enum(['human', 'model']);
const int = z.number().int();

export const bundleSchema = z.object({
  format: z.literal('palimpsest-provenance'),
  version: z.literal(1),
  document: z.object({ id: z.string(), title: z.string() }),
  authors: z.array(z.object({ id: z.string(), name: z.string(), kind })),
  events: z.array(
    z.object({
      seq: int,
      at: int,
      authorId: z.string(),
      kind,
      operation: z.string(),
      from: int,
      to: int,
      insert: z.string(),
      deleted: z.string(),
      generationId: int.nullable(),
      source: z.object({ from: int, to: int }).nullable(),
      prevHash: z.string(),
      hash: z.string(),
    }),
  ),
  text: z.string(),
  head: z.string(),
  digest: z.string(),
});

/** The string whose sha256 is the bundle's digest. */
export function canonicalBundle(b: Omit<ProvenanceBundle, 'digest' | 'events'>): string {
  return JSON.stringify([
    'palimpsest-bundle-v1',
    b.document.id,
    b.document.title,
    b.authors.map((a) => [a.id, a.name, a.kind]),
    b.text,
    b.head,
  ]);
}

export type BundleVerifyResult = VerifyResult & { textMatches: boolean };

/**
 * Verifies a parsed bundle: the events chain and replay to `text`, the last hash is `head`, every
 * event's author is listed with its kind, and the digest matches. Throws nothing for bad content;
 * a value that is not a bundle at all fails with reason "not a provenance bundle".
 */
export function verifyBundle(sha256: Sha256Hex, value: unknown): BundleVerifyResult {
  const parsed = bundleSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      events: 0,
      head: '',
      textMatches: false,
      firstBad: { seq: 0, reason: `not a provenance bundle (${issue?.path.join('.') || 'root'}: ${issue?.message})` },
    };
  }
  const b = parsed.data as ProvenanceBundle;
  const chain = verifyChain(sha256, b.document.id, b.events);
  const text = chain.table.text();
  const textMatches = chain.ok && text === b.text;
  const result = { ok: chain.ok, events: chain.events, head: chain.head, textMatches };
  if (!chain.ok) return { ...result, firstBad: chain.firstBad };
  const authors = new Map(b.authors.map((a) => [a.id, a.kind]));
  const stranger = b.events.find((e) => authors.get(e.authorId) !== e.kind);
  if (stranger) {
    return {
      ...result,
      ok: false,
      firstBad: { seq: stranger.seq, reason: `event ${stranger.seq} names an author the bundle does not list` },
    };
  }
  const last = b.events.length;
  if (chain.head !== b.head) {
    return {
      ...result,
      ok: false,
      firstBad: { seq: last + 1, reason: 'the events end before the recorded head (events missing or truncated)' },
    };
  }
  if (!textMatches) {
    return {
      ...result,
      ok: false,
      firstBad: { seq: last, reason: 'replaying the events does not give the bundle text' },
    };
  }
  if (sha256(canonicalBundle(b)) !== b.digest) {
    return {
      ...result,
      ok: false,
      firstBad: { seq: 0, reason: 'the bundle digest does not match (document, authors, text or head changed)' },
    };
  }
  return result;
}
