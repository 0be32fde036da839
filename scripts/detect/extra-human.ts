/**
 * Human writing from before LLMs, installed offline as npm dev dependencies (Apache-2.0, stdlib
 * datasets): mailing-list e-mails (SpamAssassin ham, 2002), State of the Union addresses
 * (1790–2021) and Moby-Dick. Human text is the scarce side of ../shared/data (about 15 %, mostly
 * abstracts and news); these add informal, spoken-style and literary writers. Each corpus is its own
 * LOSO group, so its held-out false-positive rate is measured like every other source's.
 * Read from node_modules at training time only; nothing is copied into the repo or shipped.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type Record_ } from './data';

const STDLIB = path.join(REPO_ROOT, 'node_modules', '@stdlib');

/** Chunks of about `target` words cut at paragraph boundaries (never below `min`). */
export function chunkParagraphs(text: string, target: number, min: number): string[] {
  const paras = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const out: string[] = [];
  let cur: string[] = [];
  let words = 0;
  for (const p of paras) {
    cur.push(p);
    words += p.split(/\s+/).length;
    if (words >= target) {
      out.push(cur.join('\n\n'));
      cur = [];
      words = 0;
    }
  }
  if (words >= min) out.push(cur.join('\n\n'));
  return out;
}

function human(group: string, id: string, text: string, domain: string): Record_ {
  return {
    id: `${group}:${id}`,
    group,
    source: group,
    domain,
    lang: 'en',
    text,
    role: 0,
    involvement: 0,
    generator: null,
  };
}

/**
 * The writer's own prose of one e-mail: body after the headers, without quoted lines, attribution
 * lines, signatures, mailing-list footers, and without messages that are HTML, MIME parts or mostly code.
 */
export function emailProse(raw: string): string | null {
  const at = raw.search(/\r?\n\r?\n/);
  if (at < 0) return null;
  const headers = raw.slice(0, at);
  if (/^content-type:\s*(?!text\/plain)/im.test(headers)) return null;
  const lines: string[] = [];
  for (const line of raw.slice(at).split(/\r?\n/)) {
    if (/^(--\s*$|_{5,}|-{5,}|={5,})/.test(line)) break; // signature or list footer: the rest is not prose
    if (/^\s*(>|\|)/.test(line)) continue;
    if (/^(on .*wrote:|.*\bwrote:\s*$|.*mentioned:\s*$)/i.test(line.trim())) continue;
    lines.push(line.trimEnd());
  }
  // Unwrap the 72-column hard wrapping so line breaks mean paragraphs, as in the other corpora.
  const text = lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/([^\n])\n(?!\n)/g, '$1 ')
    .trim();
  if (/<html|<body|<p>|&nbsp;/i.test(text)) return null;
  const words = text.split(/\s+/).filter(Boolean);
  // Prose, not code or logs: most words are plain alphabetic words.
  const alpha = words.filter((w) => /^[A-Za-z][a-z']*[.,;:!?]?$/.test(w)).length;
  if (words.length < 80 || alpha / words.length < 0.7) return null;
  return text;
}

function readJsonDir(dir: string): { file: string; data: Record<string, unknown> }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f, data: JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown> }));
}

/** All three corpora, or [] (with a note on stderr) when the dev dependencies are not installed. */
export function loadExtraHuman(): Record_[] {
  const dirs = {
    mail: path.join(STDLIB, 'datasets-spam-assassin', 'data'),
    sotu: path.join(STDLIB, 'datasets-sotu', 'data'),
    moby: path.join(STDLIB, 'datasets-moby-dick', 'data'),
  };
  if (!Object.values(dirs).every((d) => existsSync(d))) {
    process.stderr.write('extra human corpora not installed (npm install --include=dev); training without them\n');
    return [];
  }
  const out: Record_[] = [];
  // Ham only (spam is machine-made marketing); one capped sample per folder keeps the group balanced.
  for (const folder of ['easy-ham-1', 'easy-ham-2', 'hard-ham-1']) {
    let kept = 0;
    for (const { file, data } of readJsonDir(path.join(dirs.mail, folder))) {
      const prose = emailProse(String(data['text'] ?? ''));
      if (!prose) continue;
      out.push(human('ext-email-ham', `${folder}/${file}`, prose, 'email'));
      if (++kept >= 300) break;
    }
  }
  for (const { file, data } of readJsonDir(dirs.sotu)) {
    // Two stretches per address (start and middle), 300–700 words: speeches are long and repetitive.
    const chunks = chunkParagraphs(String(data['text'] ?? ''), 350, 150);
    const picks = [...new Set([0, Math.floor(chunks.length / 2)])].filter((i) => i < chunks.length);
    for (const i of picks) out.push(human('ext-sotu', `${file}#${i}`, chunks[i]!, 'speech'));
  }
  for (const { file, data } of readJsonDir(dirs.moby)) {
    const chunks = chunkParagraphs(String(data['text'] ?? ''), 300, 120);
    if (chunks[0]) out.push(human('ext-moby-dick', file, chunks[0], 'fiction'));
  }
  return out;
}
