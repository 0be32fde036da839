/**
 * The shareable HTML report: one self-contained file (inline CSS and SVG, no scripts, no external
 * resources) that reads on screen and prints to PDF (browser print, Playwright `page.pdf()`).
 */
import type { DetectionResult, SegmentResult } from '../detection';
import { VERDICT_LABELS } from '../detection/common/bands';
import { ABSTAIN_EXPLANATIONS, pct, ROLE_EXPLANATIONS, ROLE_LABELS, ROLES } from './common/roles';
import { involvementChart, likelihoodHistogram, roleBar } from './report-charts';
import type { CheckDetail, CheckItem, CheckResult } from './types';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface ReportOptions {
  /** Threshold the check used (profile's or default); null when unknown (then taken from results). */
  threshold: number | null;
  profileName: string | null;
  /** For tests: a fixed "generated at" time. */
  now?: Date;
}

/** Renders a check (its items must carry `text`) as one HTML document. */
export function renderReport(check: CheckDetail, options: ReportOptions): string {
  const results = check.items.map((i) => i.result).filter((r): r is DetectionResult => r !== null);
  const threshold = options.threshold ?? results[0]?.threshold ?? null;
  const when = (options.now ?? new Date()).toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short' });
  const batch = check.items.length > 1;
  const body = [
    `<header><p class="brand">Palimpsest · detection report</p><h1>${esc(check.name)}</h1>`,
    `<p class="meta">${check.items.length} document${batch ? 's' : ''} · checked ${esc(new Date(check.createdAt).toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short' }))} · report generated ${esc(when)} · calibration: ${
      options.profileName ? `profile “${esc(options.profileName)}”` : 'shipped default'
    }${threshold !== null ? ` (threshold ${pct(threshold)})` : ''}</p></header>`,
    readingGuide(),
    batch ? batchSummary(check, results, threshold) : '',
    ...check.items.map((item) => documentSection(item)),
    `<footer>Palimpsest estimates LLM involvement statistically. A high AI-likelihood is a reason to look closer and talk with the writer, never proof on its own: formal, formulaic or non-native writing can be flagged, and edited LLM text can pass.</footer>`,
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(check.name)} — Palimpsest detection report</title>
<style>${CSS}</style></head>
<body>
${body}
</body></html>
`;
}

function readingGuide(): string {
  return `<section class="guide"><h2>How to read this report</h2><ul>
<li><b>Verdict</b>: which role an LLM most likely played — ${ROLES.map((r) => `<i>${ROLE_LABELS[r]}</i> (${ROLE_EXPLANATIONS[r]})`).join('; ')}.</li>
<li><b>AI-likelihood</b>: calibrated probability that an LLM was involved at all, with a range that is wider for short texts.</li>
<li><b>Involvement</b>: estimated share of the text written or changed by an LLM.</li>
<li><b>Highlighted text</b>: the stronger the colour, the more LLM-like that passage; a bar in the margin marks a possible change of author.</li>
</ul></section>`;
}

function batchSummary(check: CheckDetail, results: DetectionResult[], threshold: number | null): string {
  const flagged = results.filter((r) => !r.abstained && r.verdict === 'llm').length;
  const abstained = results.filter((r) => r.abstained).length;
  const failed = check.items.filter((i) => i.error).length;
  const rows = check.items
    .map((i) => {
      const r = i.result;
      if (!r)
        return `<tr><td><a href="#doc-${i.position}">${esc(i.source)}</a></td><td colspan="4" class="err">${esc(i.error?.userMessage ?? 'Not checked yet')}</td></tr>`;
      return `<tr><td><a href="#doc-${i.position}">${esc(i.source)}</a></td><td class="num">${r.word_count}</td><td>${r.abstained ? `<i>no verdict (${r.abstain_reason === 'too_short' ? 'too short' : 'not English'})</i>` : esc(r.verdict === 'llm' ? ROLE_LABELS[r.role] : VERDICT_LABELS[r.verdict])}</td><td class="num">${r.abstained ? '—' : `${pct(r.ai_probability)} <span class="band">(${pct(r.confidence_band[0])}–${pct(r.confidence_band[1])})</span>`}</td><td class="num">${r.abstained ? '—' : pct(r.involvement)}</td></tr>`;
    })
    .join('');
  return `<section class="summary"><h2>Summary</h2>
<p>${results.length} checked: <b>${flagged}</b> with likely LLM involvement, ${results.length - flagged - abstained} without, ${abstained} without a verdict${failed ? `, ${failed} could not be read` : ''}.</p>
${likelihoodHistogram(results, threshold)}
<table><thead><tr><th>Document</th><th class="num">Words</th><th>Verdict</th><th class="num">AI-likelihood</th><th class="num">Involvement</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function documentSection(item: CheckItem): string {
  const head = `<section class="doc" id="doc-${item.position}"><h2>${esc(item.source)}</h2>`;
  const r = item.result;
  if (!r)
    return `${head}<p class="err">${esc(item.error?.userMessage ?? 'This document has not been checked yet.')}</p></section>`;
  const verdict = r.abstained
    ? `<p class="verdict abstain"><b>No verdict.</b> ${r.abstain_reason ? esc(ABSTAIN_EXPLANATIONS[r.abstain_reason]) : ''}</p>`
    : `<p class="verdict verdict-${r.verdict}"><b>${esc(VERDICT_LABELS[r.verdict])}</b>${r.verdict === 'llm' && r.role !== 'human' ? ` — if an LLM was involved, most likely ${esc(ROLE_EXPLANATIONS[r.role])}` : ''}.</p>`;
  const figures = `<dl class="figures">
<div><dt>Score</dt><dd>${r.abstained ? '—' : `${pct(r.ai_probability)} <span class="band">likely between ${pct(r.confidence_band[0])} and ${pct(r.confidence_band[1])}; LLM from ${pct(r.threshold)}, inconclusive from ${pct(r.inconclusive_from)}</span>`}</dd></div>
<div><dt>Involvement</dt><dd>${r.abstained || r.verdict !== 'llm' ? '—' : pct(r.involvement)}</dd></div>
<div><dt>Words</dt><dd>${r.word_count}</dd></div>
<div><dt>Role probabilities</dt><dd>${
    r.abstained
      ? '<span class="probs">not shown without a verdict</span>'
      : `${roleBar(r)}<span class="probs">${ROLES.map((k) => `<span><i class="sw role-${k}"></i>${k} ${pct(r.role_probs[k])}</span>`).join(' ')}</span>`
  }</dd></div>
</dl>`;
  const caveat = `<p class="caveat"><b>Caveat:</b> ${esc(r.caveat)}</p>${lmNote(r)}`;
  const text = item.text ?? '';
  const chart =
    text && r.segments.length > 1 && !r.abstained
      ? `<h3>Along the document</h3>${involvementChart(r, text.length, `Involvement and AI-likelihood along ${item.source}`)}`
      : '';
  // Without a verdict, colouring passages would suggest one: show the plain text.
  const highlighted = !text
    ? ''
    : r.abstained
      ? `<h3>Text</h3><div class="text">${esc(text)}</div>`
      : `<h3>Highlighted text</h3><div class="text">${highlight(text, r.segments)}</div>`;
  return `${head}${verdict}${figures}${caveat}${chart}${highlighted}</section>`;
}

/** Says that a local language model took part (LM-assisted mode), with what it changed and why to be wary. */
function lmNote(r: CheckResult): string {
  if (!r.lm_model) return '';
  const model = esc(r.lm_model.id);
  if (!r.lm_assisted)
    return `<p class="lm">LM-assisted mode (experimental) was on, with local model ${model}, but did not change this result (${r.abstained ? 'no verdict to adjust' : 'too few tokens scored'}).</p>`;
  const shift = r.lm_logit_shift ?? 0;
  return `<p class="lm"><b>LM-assisted (experimental):</b> local model ${model} moved the AI-likelihood by ${shift >= 0 ? '+' : '−'}${Math.abs(shift).toFixed(2)} on the logit scale. Its weighting is a design choice, not fitted to real LLM text and tested only with a 260K-parameter test model: treat it as a hint, not evidence.</p>`;
}

/** The text with each segment wrapped in a mark coloured by its AI-likelihood (tooltip: the figures). */
export function highlight(text: string, segments: readonly SegmentResult[]): string {
  let out = '';
  let at = 0;
  for (const s of [...segments].sort((a, b) => a.start - b.start)) {
    if (s.start < at) continue;
    out += esc(text.slice(at, s.start));
    // Tinted only where the passage crosses a band: inconclusive light, llm strong.
    const level = s.verdict === 'llm' ? 4 : s.verdict === 'inconclusive' ? 2 : 0;
    const tip = `${ROLE_LABELS[s.role]} · involvement ${pct(s.involvement)} · AI-likelihood ${pct(s.ai_probability)} · ${s.word_count} words`;
    out += `<mark class="seg l${level}${s.role !== 'human' ? ' llm' : ''}${s.authorship_change ? ' change' : ''}" title="${esc(tip)}" data-ai="${s.ai_probability}">${esc(text.slice(s.start, s.end))}</mark>`;
    at = s.end;
  }
  return out + esc(text.slice(at));
}

const CSS = `
:root{--fg:#1f2328;--muted:#5b6068;--border:#d6d2c8;--panel:#f5f3ee;--accent:#8a4b2a;--h:#2e7d5b;--p:#c9a227;--e:#d9822b;--g:#c0392b}
*{box-sizing:border-box}
body{margin:0 auto;max-width:860px;padding:32px 28px;color:var(--fg);background:#fff;font:15px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
h1{font:600 26px/1.2 'Iowan Old Style','Palatino Linotype',Georgia,serif;margin:4px 0 6px}
h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid var(--border);padding-bottom:4px;overflow-wrap:anywhere}
h3{font-size:14px;margin:18px 0 6px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.brand{margin:0;color:var(--accent);font-weight:600;font-size:13px;letter-spacing:.05em;text-transform:uppercase}
.meta{color:var(--muted);margin:0;font-size:13px}
.guide{background:var(--panel);border-radius:8px;padding:4px 16px 8px;margin-top:20px;font-size:13.5px}
.guide h2{border:0;font-size:15px;margin:10px 0 4px}
.guide ul{margin:0;padding-left:18px}
table{border-collapse:collapse;width:100%;font-size:13.5px;margin-top:10px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--border);vertical-align:top}
th{font-weight:600;background:var(--panel)}
.num{text-align:right;white-space:nowrap}
td a{color:inherit}
.band{color:var(--muted);font-size:.9em}
.err{color:var(--g)}
.verdict{font-size:17px;margin:6px 0}
.verdict.abstain{color:var(--muted)}
.role-human-text b{color:var(--h)}.role-polished-text b{color:#9a7a10}.role-extended-text b{color:var(--e)}.role-generated-text b{color:var(--g)}
.figures{display:grid;grid-template-columns:repeat(3,auto) 1fr;gap:8px 24px;margin:10px 0}
.figures dt{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.figures dd{margin:0;font-size:18px;font-weight:600}
.figures .band{display:block;font-weight:400;font-size:12px}
.rolebar{display:block;width:100%;height:12px;border-radius:3px;overflow:hidden;margin-top:4px}
.probs{display:flex;flex-wrap:wrap;gap:4px 10px;font-size:12px;font-weight:400;color:var(--muted);margin-top:4px}
.sw{display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:3px;vertical-align:baseline}
.role-human{fill:var(--h);background:var(--h)}.role-polished{fill:var(--p);background:var(--p)}.role-extended{fill:var(--e);background:var(--e)}.role-generated{fill:var(--g);background:var(--g)}
.caveat{border-left:4px solid var(--accent);background:var(--panel);padding:8px 12px;margin:10px 0;border-radius:0 6px 6px 0}
.lm{font-size:13px;color:var(--muted);margin:-4px 0 10px}
.chart{width:100%;height:auto;display:block}
.chart .grid{stroke:var(--border);stroke-width:1}
.chart .axis,.chart .count{font-size:11px;fill:var(--muted)}
.chart .count{fill:var(--fg)}
.chart .inv-area{fill:rgba(192,57,43,.22);stroke:rgba(192,57,43,.7);stroke-width:1}
.chart .ai-line{fill:none;stroke:#34495e;stroke-width:1.6}
.chart .threshold{stroke:var(--accent);stroke-dasharray:5 4;stroke-width:1.2}
.chart .change{stroke:#6c3483;stroke-width:1.5;stroke-dasharray:2 2}
.chart .bar{fill:#8fa6b8}.chart .bar.high{fill:#d9822b}
.legend{font-size:12px;color:var(--muted);margin:2px 0 0}
.key{display:inline-block;width:14px;height:8px;margin:0 3px 0 10px;vertical-align:middle}
.key.inv{background:rgba(192,57,43,.3)}.key.ai{border-top:2px solid #34495e;height:0}.key.thr{border-top:2px dashed var(--accent);height:0}.key.chg{border-left:2px dashed #6c3483;width:0}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font:15px/1.65 'Iowan Old Style','Palatino Linotype',Georgia,serif;border:1px solid var(--border);border-radius:8px;padding:14px 16px}
mark.seg{color:inherit;border-radius:2px;padding:0 1px;background:transparent}
mark.seg.l1{background:rgba(217,130,43,.12)}mark.seg.l2{background:rgba(217,130,43,.24)}mark.seg.l3{background:rgba(205,85,43,.34)}mark.seg.l4{background:rgba(192,57,43,.45)}
mark.seg.llm{text-decoration:underline dotted rgba(192,57,43,.8);text-underline-offset:3px}
mark.seg.change{box-shadow:-3px 0 0 #6c3483}
footer{margin-top:36px;padding-top:10px;border-top:1px solid var(--border);color:var(--muted);font-size:12.5px}
@media print{
  @page{margin:16mm 14mm}
  body{max-width:none;padding:0;font-size:11pt}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  .guide{break-inside:avoid}
  .doc{break-before:page}
  .summary+.doc{break-before:page}
  header+.guide+.doc{break-before:auto}
  h2,h3{break-after:avoid}
  .chart,.figures,.caveat,tr{break-inside:avoid}
  td a{text-decoration:none}
}
`;
