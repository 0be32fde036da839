/**
 * Inline SVG charts for the HTML report (no scripts, no external resources, print-safe). The
 * geometry is common/chart-geometry.ts, shared with the UI; colours come from CSS classes defined in
 * report.ts, so they follow its light/print styles.
 */
import type { DetectionResult } from '../detection';
import { histogramGeometry, involvementGeometry, likelihoodBins, type ChartBox } from './common/chart-geometry';
import { pct, ROLES } from './common/roles';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const f1 = (x: number): string => x.toFixed(1);

const INVOLVEMENT_BOX: ChartBox = { width: 760, height: 150, left: 36, right: 8, top: 10, bottom: 26 };
const HISTOGRAM_BOX: ChartBox = { width: 760, height: 160, left: 36, right: 8, top: 10, bottom: 30 };

/**
 * Involvement (filled steps) and AI-likelihood (line) along the document, one step per segment,
 * x = position in the text. The dashed line is the decision threshold.
 */
export function involvementChart(result: DetectionResult, textLength: number, title: string): string {
  const { width: W, height: H } = INVOLVEMENT_BOX;
  const g = involvementGeometry(result, textLength, INVOLVEMENT_BOX);
  const grid = g.grid
    .map(
      (t) =>
        `<line class="grid" x1="${g.x0}" x2="${g.x1}" y1="${f1(t.y)}" y2="${f1(t.y)}"/><text class="axis" x="${g.x0 - 4}" y="${f1(t.y + 4)}" text-anchor="end">${t.label}</text>`,
    )
    .join('');
  const changes = g.changes
    .map(
      (cx) =>
        `<line class="change" x1="${f1(cx)}" x2="${f1(cx)}" y1="${g.y0}" y2="${g.y1}"><title>Possible change of author here</title></line>`,
    )
    .join('');
  const thr = `<line class="threshold" x1="${g.x0}" x2="${g.x1}" y1="${f1(g.thresholdY)}" y2="${f1(g.thresholdY)}"><title>Decision threshold ${pct(result.threshold)}</title></line>`;
  return (
    `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${grid}` +
    `<path class="inv-area" d="${g.area}"/><path class="ai-line" d="${g.line}"/>${thr}${changes}` +
    `<text class="axis" x="${g.x0}" y="${H - 8}">start of text</text><text class="axis" x="${g.x1}" y="${H - 8}" text-anchor="end">end</text></svg>` +
    `<p class="legend"><span class="key inv"></span> involvement <span class="key ai"></span> AI-likelihood <span class="key thr"></span> threshold${changes ? ' <span class="key chg"></span> possible change of author' : ''}</p>`
  );
}

/** Histogram of AI-likelihood over the documents of a batch (10 bins); abstentions are counted apart. */
export function likelihoodHistogram(results: readonly DetectionResult[], threshold: number | null): string {
  const { width: W, height: H } = HISTOGRAM_BOX;
  const g = histogramGeometry(likelihoodBins(results), threshold, HISTOGRAM_BOX, 2);
  const bars = g.bars
    .map(
      (b) =>
        `<rect class="${b.high ? 'bar high' : 'bar'}" x="${f1(b.x)}" y="${f1(b.y)}" width="${f1(b.width)}" height="${f1(b.height)}"><title>${b.label}: ${b.count} document${b.count === 1 ? '' : 's'}</title></rect>` +
        (b.count > 0
          ? `<text class="count" x="${f1(b.cx)}" y="${f1(b.y - 3)}" text-anchor="middle">${b.count}</text>`
          : '') +
        `<text class="axis" x="${f1(b.cx)}" y="${H - 12}" text-anchor="middle">${b.label}</text>`,
    )
    .join('');
  const thr =
    threshold === null || g.thresholdX === null
      ? ''
      : `<line class="threshold" x1="${f1(g.thresholdX)}" x2="${f1(g.thresholdX)}" y1="${g.y0}" y2="${g.y1}"><title>Decision threshold ${pct(threshold)}</title></line>`;
  const label = 'Number of documents by AI-likelihood';
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${label}"><title>${label}</title><line class="grid" x1="${g.x0}" x2="${g.x1}" y1="${g.y1}" y2="${g.y1}"/>${bars}${thr}</svg><p class="legend">Number of documents by AI-likelihood${threshold === null ? '' : `; dashed line: decision threshold (${pct(threshold)})`}.</p>`;
}

/** One stacked bar of the four role probabilities. */
export function roleBar(result: DetectionResult): string {
  let x = 0;
  const parts = ROLES.map((k) => {
    const w = result.role_probs[k] * 100;
    const rect = `<rect class="role-${k}" x="${f1(x)}" y="0" width="${f1(w)}" height="10"><title>${k}: ${pct(result.role_probs[k])}</title></rect>`;
    x += w;
    return rect;
  }).join('');
  return `<svg class="rolebar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="Role probabilities">${parts}</svg>`;
}
