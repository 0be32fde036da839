/**
 * Inline SVG charts for the HTML report (no scripts, no external resources, print-safe).
 * Colours come from CSS classes defined in report.ts, so they follow its light/print styles.
 */
import type { DetectionResult } from '../detection';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pct = (x: number): string => `${Math.round(x * 100)}%`;
const f1 = (x: number): string => x.toFixed(1);

/**
 * Involvement (filled steps) and AI-likelihood (line) along the document, one step per segment,
 * x = position in the text. The dashed line is the decision threshold.
 */
export function involvementChart(result: DetectionResult, textLength: number, title: string): string {
  const W = 760;
  const H = 150;
  const L = 36;
  const R = 8;
  const T = 10;
  const B = 26;
  const iw = W - L - R;
  const ih = H - T - B;
  const n = Math.max(1, textLength);
  const x = (c: number) => L + (c / n) * iw;
  const y = (v: number) => T + (1 - v) * ih;
  const segs =
    result.segments.length > 0
      ? result.segments
      : [
          {
            start: 0,
            end: n,
            involvement: result.involvement,
            ai_probability: result.ai_probability,
            role: result.role,
            authorship_change: false,
            word_count: result.word_count,
          },
        ];
  let area = `M${f1(x(segs[0]!.start))},${f1(y(0))}`;
  let line = '';
  for (const [i, s] of segs.entries()) {
    area += ` L${f1(x(s.start))},${f1(y(s.involvement))} L${f1(x(s.end))},${f1(y(s.involvement))}`;
    line += `${i === 0 ? 'M' : ' L'}${f1(x(s.start))},${f1(y(s.ai_probability))} L${f1(x(s.end))},${f1(y(s.ai_probability))}`;
  }
  area += ` L${f1(x(segs.at(-1)!.end))},${f1(y(0))} Z`;
  const grid = [0, 0.5, 1]
    .map(
      (v) =>
        `<line class="grid" x1="${L}" x2="${W - R}" y1="${f1(y(v))}" y2="${f1(y(v))}"/><text class="axis" x="${L - 4}" y="${f1(y(v) + 4)}" text-anchor="end">${pct(v)}</text>`,
    )
    .join('');
  const changes = segs
    .filter((s) => s.authorship_change)
    .map(
      (s) =>
        `<line class="change" x1="${f1(x(s.start))}" x2="${f1(x(s.start))}" y1="${T}" y2="${T + ih}"><title>Possible change of author here</title></line>`,
    )
    .join('');
  const thr = `<line class="threshold" x1="${L}" x2="${W - R}" y1="${f1(y(result.threshold))}" y2="${f1(y(result.threshold))}"><title>Decision threshold ${pct(result.threshold)}</title></line>`;
  return (
    `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${grid}` +
    `<path class="inv-area" d="${area}"/><path class="ai-line" d="${line}"/>${thr}${changes}` +
    `<text class="axis" x="${L}" y="${H - 8}">start of text</text><text class="axis" x="${W - R}" y="${H - 8}" text-anchor="end">end</text></svg>` +
    `<p class="legend"><span class="key inv"></span> involvement <span class="key ai"></span> AI-likelihood <span class="key thr"></span> threshold${changes ? ' <span class="key chg"></span> possible change of author' : ''}</p>`
  );
}

/** Histogram of AI-likelihood over the documents of a batch (10 bins); abstentions are counted apart. */
export function likelihoodHistogram(results: readonly DetectionResult[], threshold: number | null): string {
  const bins = new Array<number>(10).fill(0);
  for (const r of results) if (!r.abstained) bins[Math.min(9, Math.floor(r.ai_probability * 10))]!++;
  const max = Math.max(1, ...bins);
  const W = 760;
  const H = 160;
  const L = 36;
  const B = 30;
  const T = 10;
  const iw = W - L - 8;
  const ih = H - T - B;
  const bw = iw / 10;
  const bars = bins
    .map((c, i) => {
      const h = (c / max) * ih;
      const cls = threshold !== null && (i + 1) / 10 > threshold ? 'bar high' : 'bar';
      return (
        `<rect class="${cls}" x="${f1(L + i * bw + 2)}" y="${f1(T + ih - h)}" width="${f1(bw - 4)}" height="${f1(h)}"><title>${i * 10}–${i * 10 + 10}%: ${c} document${c === 1 ? '' : 's'}</title></rect>` +
        (c > 0
          ? `<text class="count" x="${f1(L + i * bw + bw / 2)}" y="${f1(T + ih - h - 3)}" text-anchor="middle">${c}</text>`
          : '') +
        `<text class="axis" x="${f1(L + i * bw + bw / 2)}" y="${H - 12}" text-anchor="middle">${i * 10}–${i * 10 + 10}%</text>`
      );
    })
    .join('');
  const thr =
    threshold === null
      ? ''
      : `<line class="threshold" x1="${f1(L + threshold * iw)}" x2="${f1(L + threshold * iw)}" y1="${T}" y2="${T + ih}"><title>Decision threshold ${pct(threshold)}</title></line>`;
  const label = 'Number of documents by AI-likelihood';
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${label}"><title>${label}</title><line class="grid" x1="${L}" x2="${W - 8}" y1="${T + ih}" y2="${T + ih}"/>${bars}${thr}</svg><p class="legend">Number of documents by AI-likelihood${threshold === null ? '' : `; dashed line: decision threshold (${pct(threshold)})`}.</p>`;
}

/** One stacked bar of the four role probabilities. */
export function roleBar(result: DetectionResult): string {
  const order = ['human', 'polished', 'extended', 'generated'] as const;
  let x = 0;
  const parts = order
    .map((k) => {
      const w = result.role_probs[k] * 100;
      const rect = `<rect class="role-${k}" x="${f1(x)}" y="0" width="${f1(w)}" height="10"><title>${k}: ${pct(result.role_probs[k])}</title></rect>`;
      x += w;
      return rect;
    })
    .join('');
  return `<svg class="rolebar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="Role probabilities">${parts}</svg>`;
}
