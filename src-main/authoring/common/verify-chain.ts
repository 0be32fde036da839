/**
 * Checks a document's event log without the database: every event commits to the one before, its
 * hash matches its content, and replaying the events in order is possible (offsets in range, the
 * deleted text is what was there). Returns the replayed table so callers can compare the text.
 */
import { eventHash, GENESIS_SEED, type Sha256Hex } from './canonical-event';
import type { ProvenanceEvent, VerifyResult } from './contract';
import { editProblem, ProvenanceReplay } from './replay';
import type { SpanTable } from './span-table';

export function verifyChain(
  sha256: Sha256Hex,
  documentId: string,
  events: readonly ProvenanceEvent[],
): VerifyResult & { table: SpanTable } {
  const replay = new ProvenanceReplay();
  const table = replay.table;
  let prev = sha256(GENESIS_SEED);
  const fail = (seq: number, reason: string) => ({
    ok: false,
    events: events.length,
    head: prev,
    firstBad: { seq, reason },
    table,
  });
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const seq = i + 1;
    if (e.seq !== seq) return fail(seq, `event ${seq} is out of order (it says it is event ${e.seq})`);
    if (e.prevHash !== prev) return fail(seq, `event ${seq} does not chain to the event before it`);
    if (eventHash(sha256, documentId, e) !== e.hash) return fail(seq, `event ${seq} was changed after it was recorded`);
    const problem = editProblem(e, table.length, (a, b) => table.slice(a, b));
    if (problem) return fail(seq, `event ${seq} cannot be replayed: ${problem}`);
    if (table.slice(e.from, e.to) !== e.deleted) {
      return fail(seq, `event ${seq} cannot be replayed: the text it deleted is not what was there`);
    }
    replay.apply(e);
    prev = e.hash;
  }
  return { ok: true, events: events.length, head: prev, table };
}
