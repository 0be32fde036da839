import { operationShareLabel } from '../common/operation-labels';
import { percent, ROLE_NAMES, timelineBars, type ReportData } from './report-data';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A standalone HTML provenance report: text coloured by author, shares, timeline, role and chain head. */
export function renderHtmlReport(d: ReportData): string {
  const p = d.provenance;
  const color = (id: string) => d.authors.get(id)?.color ?? '#888888';
  const text = p.spans
    .map(
      (s) =>
        `<span style="background:${color(s.authorId)}33;border-bottom:2px solid ${color(s.authorId)}" title="${esc(`${s.author} · ${operationShareLabel(s.operation)}`)}">${esc(p.text.slice(s.start, s.end))}</span>`,
    )
    .join('');
  const shareRows = (shares: Record<string, number>, label: (k: string) => string, swatch?: (k: string) => string) =>
    Object.entries(shares)
      .map(
        ([k, v]) =>
          `<tr><td>${swatch ? `<i class="sw" style="background:${swatch(k)}"></i>` : ''}${esc(label(k))}</td><td class="n">${percent(v)}</td></tr>`,
      )
      .join('');
  const nameColor = new Map([...d.authors.values()].map((a) => [a.name, a.color]));
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(d.title)} · provenance</title>`,
    `<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
.brand{color:#666;margin:0}.meta{color:#555}.text{white-space:pre-wrap;border:1px solid #ddd;padding:1rem;border-radius:6px}
table{border-collapse:collapse;margin:.5rem 0}td{padding:.2rem .8rem .2rem 0}.n{text-align:right;font-variant-numeric:tabular-nums}
.sw{display:inline-block;width:.8em;height:.8em;margin-right:.4em;border-radius:2px}.grid{display:flex;gap:3rem;flex-wrap:wrap}
code{word-break:break-all}.bad{color:#b00020}.ok{color:#1b7f3b}</style></head><body>`,
    `<header><p class="brand">Palimpsest · provenance report</p><h1>${esc(d.title)}</h1>`,
    `<p class="meta">Document ${esc(d.documentId)} · ${p.text.length.toLocaleString('en')} characters · ${p.events.toLocaleString('en')} events · generated ${esc(new Date(d.generatedAt).toISOString())}</p></header>`,
    `<section><h2>Role and involvement</h2><p><strong>${ROLE_NAMES[p.role]}</strong> · LLM involvement ${percent(p.involvement)} (share of characters written by a model, from the edit log)</p></section>`,
    `<section class="grid"><div><h2>Authors</h2><table>${shareRows(
      p.shares,
      (k) => k,
      (k) => nameColor.get(k) ?? '#888',
    )}</table></div>`,
    `<div><h2>Operations</h2><table>${shareRows(p.operationShares, operationShareLabel)}</table></div></section>`,
    `<section><h2>Timeline</h2>${timelineSvg(d)}</section>`,
    `<section><h2>Text</h2><div class="text">${text}</div></section>`,
    referencesHtml(d),
    `<section><h2>Verification</h2><p class="${d.verify.ok ? 'ok' : 'bad'}">${
      d.verify.ok
        ? `The edit log is intact: ${d.verify.events} hash-chained events replay to this text.`
        : `The edit log is damaged: ${esc(d.verify.firstBad?.reason ?? 'unknown reason')}.`
    }</p><p>Chain head (sha256): <code>${esc(p.head)}</code></p>`,
    '<p class="meta">Check it without Palimpsest’s database: export the bundle (<code>palimpsest docs bundle ID OUT.json</code>) and run <code>palimpsest verify OUT.json</code>.</p></section>',
    '</body></html>',
  ].join('\n');
}

/** The library passages model authors were given as reference, numbered, with where each was used. */
function referencesHtml(d: ReportData): string {
  const refs = d.references ?? [];
  if (refs.length === 0) return '';
  const items = refs
    .map((r) => {
      const where = r.page !== null ? `p. ${r.page}` : `passage ${r.chunk + 1}`;
      const uses = r.uses.map((u) => `${esc(u.author)} · ${esc(operationShareLabel(u.operation))}`).join('; ');
      return `<li><strong>${esc(r.doc)}</strong>, ${where}: “${esc(r.excerpt)}” <span class="meta">(used by ${uses}; sha256 <code>${esc(r.textSha256.slice(0, 16))}…</code>)</span></li>`;
    })
    .join('');
  return `<section><h2>References</h2><p class="meta">Library passages given to model authors as context for text accepted into this document.</p><ol class="refs">${items}</ol></section>`;
}

/** Bars per stretch of events (height: characters inserted, colour: the main author) and the text length as a line. */
function timelineSvg(d: ReportData): string {
  const bars = timelineBars(d.timeline);
  if (bars.length === 0) return '<p class="meta">No events yet.</p>';
  const w = 720;
  const h = 140;
  const bw = w / bars.length;
  const maxIns = Math.max(1, ...bars.map((b) => b.inserted));
  const maxLen = Math.max(1, ...bars.map((b) => b.length));
  const rects = bars
    .map((b, i) => {
      const bh = Math.max(1, (b.inserted / maxIns) * (h - 20));
      return `<rect x="${(i * bw).toFixed(1)}" y="${(h - bh).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${bh.toFixed(1)}" fill="${d.authors.get(b.authorId)?.color ?? '#888'}"><title>${esc(d.authors.get(b.authorId)?.name ?? b.authorId)} · ${b.inserted} chars · ${new Date(b.at).toISOString()}</title></rect>`;
    })
    .join('');
  const line = bars
    .map((b, i) => `${((i + 0.5) * bw).toFixed(1)},${(h - (b.length / maxLen) * (h - 20)).toFixed(1)}`)
    .join(' ');
  return `<svg viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-label="Writing timeline">${rects}<polyline points="${line}" fill="none" stroke="#222" stroke-width="1.5"/></svg><p class="meta">Bars: characters written per stretch of events, in the colour of the author who wrote most of it; line: text length.</p>`;
}
