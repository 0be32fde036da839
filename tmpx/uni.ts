import { STYLE_FEATURE_NAMES, analyze, styleFeatures } from '../src-main/detection/features';
import { loadAll, humanSpanRecords } from '../scripts/detect/data';
import { loadExtraHuman } from '../scripts/detect/extra-human';
import { auroc } from '../scripts/detect/metrics';
const base = loadAll().filter((r) => r.lang === 'en');
const recs = [...base, ...humanSpanRecords(base), ...loadExtraHuman()];
const X = recs.map((r) => styleFeatures(r.text, analyze(r.text).tokens));
const paired = ['coauthor-gpt3-cowriting', 'hppt-chatgpt-polish', 'llmdetect-cultural-china', 'mixset', 'outfox-student-essays', 'seqxgpt-continuation'];
const rows: { name: string; a: number[]; min: number; mean: number }[] = [];
STYLE_FEATURE_NAMES.forEach((name, j) => {
  const a = paired.map((g) => {
    const idx = recs.map((r, i) => i).filter((i) => recs[i]!.group === g);
    return auroc(idx.map((i) => X[i]![j]!), idx.map((i) => (recs[i]!.role === 0 ? 0 : 1)));
  });
  const sgn = Math.sign(a.reduce((s, v) => s + v - 0.5, 0));
  const oriented = a.map((v) => (sgn >= 0 ? v : 1 - v));
  rows.push({ name: (sgn >= 0 ? '+' : '-') + name, a: oriented, min: Math.min(...oriented), mean: oriented.reduce((s, v) => s + v, 0) / a.length });
});
rows.sort((x, y) => y.min - x.min);
console.log('sources:', paired.map((g) => g.slice(0, 8)).join(' '));
for (const r of rows.slice(0, 30)) console.log(r.name.padEnd(28), r.a.map((v) => v.toFixed(2)).join(' '), ' min', r.min.toFixed(3), ' mean', r.mean.toFixed(3));
