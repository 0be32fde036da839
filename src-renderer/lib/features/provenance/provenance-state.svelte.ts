import type { GroundTruth, Provenance, VerifyResult } from '../../../../src-main/authoring/common/contract';
import { api, errorMessage } from '../../api/client';
import { authorColors, NO_COLORS } from '../../../../src-main/authorship/common/author-colors';
import { comparePassages, type DetectorComparison } from './passages';
import { Replay, ReplayError, type CountSample } from './replay';
import { fileSlug, fromBase64, saveFile } from '../../files/save-file';
import { authorShares, operationShares } from './shares';

/**
 * What the provenance panel shows for one document: provenance (shares, role, involvement), the
 * ground truth per passage, characters over time per author, and on request the detector's verdict
 * beside the ground truth, the chain check and the report/bundle exports. `load` is called again
 * whenever the document's chain head changes.
 */
export class ProvenanceState {
  provenance = $state<Provenance | null>(null);
  truth = $state<GroundTruth | null>(null);
  /** Characters per author over time (null while loading or when the timeline does not replay). */
  samples = $state<CountSample[] | null>(null);
  /** Author id → colour, for every author the document has or had. */
  colors = $state.raw<ReadonlyMap<string, string>>(NO_COLORS);
  /** Author id → name, including authors whose text is gone (they still appear over time). */
  names = $state<Record<string, string>>({});
  loading = $state(false);
  error = $state<string | null>(null);
  timelineError = $state<string | null>(null);

  comparison = $state<DetectorComparison | null>(null);
  /** The head the comparison was made for: a later edit makes it stale. */
  comparedHead = $state<string | null>(null);
  checking = $state(false);
  checkError = $state<string | null>(null);

  verifying = $state(false);
  verified = $state<(VerifyResult & { at: number }) | null>(null);
  exporting = $state<'html' | 'pdf' | 'bundle' | null>(null);

  authors = $derived(this.provenance ? authorShares(this.provenance.spans) : []);
  operations = $derived(this.provenance ? operationShares(this.provenance.operationShares) : []);

  private documentId: string | null = null;
  private loadSeq = 0;

  /** Loads everything for `documentId`; a call for another document drops what the previous one loaded. */
  async load(documentId: string): Promise<void> {
    const seq = ++this.loadSeq;
    if (documentId !== this.documentId) {
      this.documentId = documentId;
      this.comparison = null;
      this.comparedHead = null;
      this.verified = null;
      this.checkError = null;
    }
    this.loading = true;
    try {
      const [provenance, truth, timeline, authors] = await Promise.all([
        api.authoring.provenance.query({ documentId }),
        api.authoring.groundTruth.query({ documentId }),
        api.authoring.timeline.query({ documentId }),
        api.llm.authors.query().catch(() => []),
      ]);
      if (seq !== this.loadSeq) return;
      const names: Record<string, string> = {};
      for (const e of timeline.events) names[e.authorId] = e.author;
      for (const s of provenance.spans) names[s.authorId] = s.author;
      const known: Record<string, string> = Object.fromEntries(authors.map((a) => [a.id, a.color]));
      // Colours in order of first appearance, so they stay put as authors join.
      this.colors = authorColors(Object.keys(names).map((authorId) => ({ authorId, color: known[authorId] })));
      this.names = names;
      this.provenance = provenance;
      this.truth = truth;
      try {
        this.samples = new Replay(timeline.events, 200).samples;
        this.timelineError = null;
      } catch (e) {
        this.samples = null;
        this.timelineError = e instanceof ReplayError ? e.message : String(e);
      }
      this.error = null;
    } catch (e) {
      if (seq === this.loadSeq) this.error = errorMessage(e);
    } finally {
      if (seq === this.loadSeq) this.loading = false;
    }
  }

  /** Runs the detector on the current text (stored as a check, like the Detect view's) and compares. */
  async checkWithDetector(): Promise<void> {
    const p = this.provenance;
    const truth = this.truth;
    if (!p || !truth || this.checking) return;
    this.checking = true;
    this.checkError = null;
    try {
      const detail = await api.checks.checkText.mutate({ text: p.text, name: 'Provenance comparison' });
      const item = detail.items[0];
      if (!item?.result) throw new Error(item?.error?.userMessage ?? 'The detector gave no result.');
      this.comparison = comparePassages(truth, item.result);
      this.comparedHead = p.head;
    } catch (e) {
      this.checkError = errorMessage(e);
    } finally {
      this.checking = false;
    }
  }

  /** Checks the hash chain and the replay of the stored log. */
  async verify(): Promise<void> {
    if (!this.documentId || this.verifying) return;
    this.verifying = true;
    try {
      this.verified = { ...(await api.authoring.verify.query({ documentId: this.documentId })), at: Date.now() };
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.verifying = false;
    }
  }

  /** Saves the provenance report (HTML or PDF, made by the core so it matches the CLI's). */
  async exportReport(format: 'html' | 'pdf'): Promise<void> {
    if (!this.documentId || this.exporting) return;
    this.exporting = format;
    try {
      const r = await api.authoring.report.query({ documentId: this.documentId, format });
      saveFile(r.fileName, fromBase64(r.base64), r.mime);
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.exporting = null;
    }
  }

  /** Saves the self-contained bundle that `palimpsest verify FILE` checks without the database. */
  async exportBundle(): Promise<void> {
    if (!this.documentId || this.exporting) return;
    this.exporting = 'bundle';
    try {
      const bundle = await api.authoring.bundle.query({ documentId: this.documentId });
      const name = `${fileSlug(bundle.document.title)}.provenance.json`;
      saveFile(name, JSON.stringify(bundle, null, 2) + '\n', 'application/json');
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.exporting = null;
    }
  }
}
