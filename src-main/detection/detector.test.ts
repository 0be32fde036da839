import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textLooksBinary } from '../core/common/decode-text';
import { assertSpecFitsModel, defaultModelsDir } from './detector';
import { segmentChangeBefore } from './segment-scores';
import { segmentText } from './segments';
import type { DetectorManifest } from './manifest';
import { createDetector, DetectionError, recalibrate, ROLE_NAMES, type Detector } from './index';

const SHARED = process.env['PALIMPSEST_SHARED'] ?? path.resolve(__dirname, '..', '..', '..', 'shared');
const DATA = path.join(SHARED, 'data', 'detect');
const hasData = existsSync(DATA);

function readJsonl(file: string, limit = Infinity): Array<{ id: string; text: string; role: string; lang: string }> {
  const out: Array<{ id: string; text: string; role: string; lang: string }> = [];
  for (const line of readFileSync(path.join(DATA, file), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    out.push(JSON.parse(line));
    if (out.length >= limit) break;
  }
  return out;
}

const HUMANISH = `honestly i dont think school should start this early. like every morning i wake up at 6 and im so tired i cant even think in first period, my mom says go to bed earlier but i have practice till 7 and then homework so thats not really possible. last year my grades in math where really bad and i think its because math was first period. my friend jake is the same he falls asleep in class all the time and the teacher gets mad at him. if school started at 9 instead of 7:30 we would all be more awake and learn more. also the buses would not have to drive in the dark in winter which is dangerous. some people say that then school ends later and sports would be later but i think thats fine, we could still do practice. anyway thats what i think, school should start later because students need sleep and it would make everyone do better.`;

const GENERATED = `In today's rapidly evolving educational landscape, the question of whether schools should adopt later start times has garnered significant attention. Proponents argue that aligning school schedules with adolescents' natural sleep patterns can yield numerous benefits. Research consistently demonstrates that teenagers experience a biological shift in their circadian rhythms, making it challenging for them to fall asleep early. Consequently, early start times often result in chronic sleep deprivation, which can negatively impact academic performance, mental health, and overall well-being.

Furthermore, later start times have been shown to enhance students' ability to concentrate and engage meaningfully in classroom activities. By ensuring that students are well-rested, schools can foster an environment conducive to learning and personal growth. Additionally, adequate sleep plays a crucial role in emotional regulation, potentially reducing instances of anxiety and depression among students.

However, it is essential to consider the logistical challenges associated with such a change. Adjusting transportation schedules, extracurricular activities, and parental work commitments requires careful planning and collaboration. Ultimately, while the transition may present certain obstacles, the potential benefits for students' health and academic success make a compelling case for implementing later school start times.`;

let det: Detector;

beforeAll(async () => {
  det = await createDetector();
});

afterAll(async () => {
  await det.dispose();
});

describe('detector output', () => {
  it('has the documented schema', async () => {
    const r = await det.detect(GENERATED);
    expect(ROLE_NAMES).toContain(r.role);
    const sum = Object.values(r.role_probs).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 3);
    for (const v of [r.involvement, r.ai_probability, ...r.confidence_band]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(r.confidence_band[0]).toBeLessThanOrEqual(r.ai_probability);
    expect(r.confidence_band[1]).toBeGreaterThanOrEqual(r.ai_probability);
    expect(typeof r.caveat).toBe('string');
    expect(r.segments.length).toBeGreaterThanOrEqual(1);
    for (const s of r.segments) {
      expect(s.end).toBeGreaterThan(s.start);
      expect(ROLE_NAMES).toContain(s.role);
      expect(s.ai_probability).toBeGreaterThanOrEqual(0);
      expect(s.ai_probability).toBeLessThanOrEqual(1);
    }
    // Paragraph segments of the 3-paragraph text.
    expect(r.segments.length).toBe(3);
  });

  it('is deterministic', async () => {
    const a = await det.detect(GENERATED);
    const b = await det.detect(GENERATED);
    expect(b).toEqual(a);
    const [c] = await det.detectMany([GENERATED]);
    expect(c).toEqual(a);
  });

  it('separates a clear human from a clear generated text', async () => {
    const h = await det.detect(HUMANISH);
    const g = await det.detect(GENERATED);
    expect(h.role).toBe('human');
    expect(g.role).not.toBe('human');
    expect(g.ai_probability).toBeGreaterThan(h.ai_probability);
  });

  it('abstains on short and non-English text', async () => {
    const short = await det.detect('This is a short note that says very little at all.');
    expect(short.abstained).toBe(true);
    expect(short.abstain_reason).toBe('too_short');
    expect(short.role).toBe('human');
    const zh = await det.detect('本文提出了一种新的方法来研究语言模型的生成文本检测问题。'.repeat(20));
    expect(zh.abstained).toBe(true);
    expect(zh.abstain_reason).toBe('unsupported_language');
    expect(Math.abs(zh.ai_probability - 0.5)).toBeLessThan(0.35);
  });

  it('rejects malformed input with typed errors', async () => {
    await expect(det.detect('')).rejects.toMatchObject({ code: 'empty_text' });
    await expect(det.detect('   \n\t ')).rejects.toMatchObject({ code: 'empty_text' });
    await expect(
      det.detect('\u0000\u0001\u0002\u0003garbage\u0004\u0005\u0006\u0007'.repeat(50)),
    ).rejects.toMatchObject({ code: 'binary_data' });
    await expect(det.detect(undefined as unknown as string)).rejects.toMatchObject({ code: 'bad_input' });
    // One rule with document import (core/common/decode-text.ts): a single NUL means the text
    // skipped the decoder, so both refuse it.
    await expect(det.detect(`${GENERATED}\u0000`)).rejects.toMatchObject({ code: 'binary_data' });
    const out = await det.detectMany(['', GENERATED]);
    expect(DetectionError.isInstance(out[0])).toBe(true);
    expect(DetectionError.isInstance(out[1])).toBe(false);
  });

  it('refuses exactly the texts document import refuses as binary', async () => {
    const samples = [
      GENERATED,
      `${GENERATED}\u0000`,
      `${GENERATED}\u0001\u0002`,
      `${HUMANISH}${'\u0007'.repeat(40)}`,
      `${GENERATED}\f${GENERATED}\u000b`,
      HUMANISH.replace(/ /g, '\u001b'),
    ];
    for (const text of samples) {
      const refused = await det.detect(text).then(
        () => false,
        (e: unknown) => (e as DetectionError).code === 'binary_data',
      );
      expect(refused, JSON.stringify(text.slice(-12))).toBe(textLooksBinary(text));
    }
    expect(samples.map(textLooksBinary)).toEqual([false, true, false, true, false, true]);
  });

  it('refuses after dispose', async () => {
    const d = await createDetector();
    await d.dispose();
    expect(d.disposed).toBe(true);
    await expect(d.detect(GENERATED)).rejects.toMatchObject({ code: 'disposed' });
  });
});

// One writer's two informal paragraphs, continued by an LLM in a very different register.
const MIXED_HUMAN = `ok so my summer was pretty boring honestly. i mostly stayed home and played games with my brother, we got really into this one racing game and i beat him like 40 times. my mom made us go outside sometimes so we rode bikes to the creek and threw rocks at stuff. one time i fell off my bike and scraped my whole arm lol it still has a scar.

the best part was when my uncle came and took us fishing. i didnt catch anything for like three hours and i was so mad but then at the very end i got a huge catfish, my uncle said it was the biggest one hes seen in that lake. we took a picture and my mom put it on facebook which was kind of embarrassing but whatever.`;

const MIXED_LLM = `Furthermore, summer vacations offer invaluable opportunities for personal growth and meaningful family connection. Engaging in outdoor activities such as fishing and cycling fosters resilience, patience, and a profound appreciation for the natural world. These experiences, while seemingly simple, cultivate essential life skills that extend far beyond the season itself, ultimately shaping well-rounded individuals.

Additionally, unstructured leisure time plays a crucial role in adolescent development. By navigating moments of boredom, young people learn to harness their creativity and develop intrinsic motivation. Research consistently demonstrates that balanced recreation contributes significantly to emotional well-being, cognitive flexibility, and overall resilience.

Moreover, shared family experiences foster a profound sense of belonging and strengthen intergenerational bonds. Whether through fishing trips, outdoor adventures, or quiet moments of reflection, these interactions cultivate trust, empathy, and effective communication, which are essential for healthy relationships throughout life.

Ultimately, the memories forged during these formative summers serve as enduring reminders of the importance of family, nature, and self-discovery. As individuals reflect on such experiences, they gain valuable insights into their own values and aspirations, shaping the people they will ultimately become in a rapidly evolving world.`;

describe('mixed document', () => {
  const text = `${MIXED_HUMAN}\n\n${GENERATED}\n\n${MIXED_LLM}`;
  it('puts the authorship change where the LLM continuation starts', async () => {
    const r = await det.detect(text, { operatingPoint: 'standard' });
    expect(r.verdict).toBe('llm');
    expect(r.structure).toBe('suffix');
    expect(r.role).toBe('extended');
    // Segments 0-1 are the human paragraphs; the continuation starts at segment 2.
    expect(r.segments.map((s) => s.authorship_change)).toEqual(r.segments.map((_, i) => i === 2));
    expect(text.slice(r.segments[2]!.start, r.segments[2]!.end)).toMatch(/^In today's rapidly evolving/);
    expect(r.segments.slice(2).every((s) => s.role === 'extended')).toBe(true);
    expect(r.segments.slice(0, 2).every((s) => s.role === 'human')).toBe(true);
  });
  it('shows the boundary when the human start dilutes the whole-text score below the band', async () => {
    const diluted = `${MIXED_HUMAN}\n\n${MIXED_LLM}`;
    const r = await det.detect(diluted);
    // The text as a whole scores like human writing; its LLM side alone reaches the strict floor.
    expect(r.ai_probability).toBeLessThan(r.inconclusive_from);
    expect(r.verdict).toBe('inconclusive');
    expect(r.structure).toBe('suffix');
    expect(r.llm_side!.ai_probability).toBeGreaterThanOrEqual(r.inconclusive_from);
    expect(r.segments.map((s) => s.authorship_change)).toEqual(r.segments.map((_, i) => i === 2));
    expect(r.segments.map((s) => s.verdict)).toEqual(r.segments.map((_, i) => (i >= 2 ? 'inconclusive' : 'human')));
    expect(r.role).toBe('human');
    expect(r.segments.every((s) => s.role === 'human')).toBe(true);
    expect(r.caveat).toContain(
      'The text as a whole scores like human writing, but the part from ‘Furthermore, summer vacations offer invaluable opportunities…’ on reads differently from the start: an LLM may have continued it.',
    );
  });
  it('leaves a plainly human text without a boundary', async () => {
    const r = await det.detect(`${MIXED_HUMAN}\n\n${HUMANISH}`);
    expect(r.verdict).toBe('human');
    expect(r.llm_side).toBeUndefined();
    expect(r.segments.every((s) => !s.authorship_change && s.verdict === 'human')).toBe(true);
  });
  it('sees the largest style change at the same boundary', () => {
    const change = segmentChangeBefore(segmentText(text).map((s) => text.slice(s.start, s.end)));
    expect(change[0]).toBeUndefined();
    const atBoundary = change[2]!;
    expect(atBoundary).toBeGreaterThan(0.5);
    expect(atBoundary).toBeGreaterThan(change[1]!);
    expect(Math.max(...change.slice(3).map((c) => c!))).toBeLessThan(atBoundary);
  });
});

describe('model and feature definition agree', () => {
  const shipped = JSON.parse(
    readFileSync(path.join(defaultModelsDir(), 'detect', 'features.json'), 'utf8'),
  ) as DetectorManifest;
  const spec = shipped.spec;
  const width = (1 << spec.hashBits) + spec.style.length;

  it('accepts the shipped pair', () => {
    expect(() => assertSpecFitsModel(spec, ['N', width])).not.toThrow();
  });

  it('refuses a width mismatch, an unknown feature name and a missing input with a clear message', () => {
    expect(() => assertSpecFitsModel(spec, ['N', width - 1])).toThrow(
      `the model takes ${width - 1} inputs, features.json defines ${width}`,
    );
    const renamed = { ...spec, style: spec.style.map((n, i) => (i === 3 ? 'no_such_feature' : n)) };
    expect(() => assertSpecFitsModel(renamed, ['N', width])).toThrow('unknown style feature(s): no_such_feature');
    expect(() => assertSpecFitsModel(spec, [])).toThrow(expect.objectContaining({ code: 'model_invalid' }));
  });

  it('createDetector refuses a features.json with one feature more than the ONNX graph', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pal-model-'));
    mkdirSync(path.join(dir, 'detect'));
    copyFileSync(path.join(defaultModelsDir(), 'detect', shipped.model), path.join(dir, 'detect', shipped.model));
    const extra: DetectorManifest = {
      ...shipped,
      spec: {
        ...spec,
        style: [...spec.style, 'deflate_ratio'],
        styleMean: [...spec.styleMean, 0],
        styleStd: [...spec.styleStd, 1],
      },
    };
    writeFileSync(path.join(dir, 'detect', 'features.json'), JSON.stringify(extra));
    await expect(createDetector({ modelsDir: dir })).rejects.toMatchObject({
      code: 'model_invalid',
      userMessage: expect.stringContaining(`the model takes ${width} inputs, features.json defines ${width + 1}`),
    });
  });
});

describe('recalibration', () => {
  it('raises the threshold for a population whose human texts score high', async () => {
    // "Human" texts that look like LLM output force a higher threshold to keep FPR at target.
    const human = Array.from(
      { length: 25 },
      (_, i) => `${GENERATED}\n\nVariant ${i}: ${'additionally '.repeat(i % 5)}`,
    );
    const llm = Array.from({ length: 25 }, (_, i) => `${GENERATED} ${'furthermore crucial '.repeat(1 + (i % 7))}`);
    const p = await recalibrate(det, { human, llm }, { name: 'test' });
    expect(p.kind).toBe('palimpsest-detect-calibration');
    expect(p.report.nHuman).toBe(25);
    expect(p.report.after.fpr).toBeLessThanOrEqual(p.report.before.fpr);
    expect(p.report.after.fpr).toBeLessThanOrEqual(0.04);
    const r = await det.detect(human[0]!, { profile: p });
    expect(r.threshold).toBe(p.threshold);
    expect(r.profile).toBe('test');
    // JSON round trip: the app stores plain objects.
    const back = JSON.parse(JSON.stringify(p));
    expect((await det.detect(human[0]!, { profile: back })).ai_probability).toBe(r.ai_probability);
  });

  it('lowers the threshold when the population writes plainly', async () => {
    const human = Array.from({ length: 25 }, (_, i) => `${HUMANISH} ${'and then we went home '.repeat(i % 4)}`);
    const p = await recalibrate(det, { human, llm: [GENERATED] });
    expect(p.report.slopeFitted).toBe(false);
    expect(p.threshold).toBeLessThan(det.defaults.threshold);
    // Never below 0.5: the calibrated model would call such texts more likely human.
    expect(p.threshold).toBeGreaterThanOrEqual(0.5);
    expect(p.report.after.fpr).toBeLessThanOrEqual(0.04);
  });

  it('keeps the default floor when only a few human texts are given', async () => {
    const p = await recalibrate(det, { human: [HUMANISH, `${HUMANISH} again`], llm: [] });
    expect(p.threshold).toBeGreaterThanOrEqual(det.defaults.threshold);
  });

  it('needs usable human texts', async () => {
    await expect(recalibrate(det, { human: ['too short'], llm: [] })).rejects.toMatchObject({ code: 'bad_input' });
  });
});

if (!hasData) console.warn(`detection dev-data tests skipped: ${DATA} not found (set PALIMPSEST_SHARED)`);

describe.skipIf(!hasData)('development data (../shared/data/detect)', () => {
  it('classifies clear examples right', async () => {
    // Student essays vs ChatGPT essays on the same prompts. The default threshold keeps every known
    // human population at ≤ 1 % even when unseen (MODEL_CARD.md), so it flags only the clearest few
    // generated essays; the probabilities must still rank the two sides apart.
    const rows = readJsonl('outfox-student-essays.jsonl');
    const humans = rows.filter((r) => r.role === 'human').slice(0, 40);
    const gens = rows.filter((r) => r.role === 'generated').slice(0, 40);
    const hr = await det.detectMany(
      humans.map((r) => r.text),
      { segments: false },
    );
    const gr = await det.detectMany(
      gens.map((r) => r.text),
      { segments: false },
    );
    const ok = (xs: typeof hr) =>
      xs.filter((r): r is Exclude<typeof r, DetectionError> => !DetectionError.isInstance(r));
    const flaggedHuman = ok(hr).filter((r) => r.role !== 'human').length;
    const caughtGen = ok(gr).filter((r) => r.role !== 'human').length;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(flaggedHuman).toBeLessThanOrEqual(1);
    expect(caughtGen).toBeGreaterThanOrEqual(2);
    const hp = ok(hr).map((r) => r.ai_probability);
    const gp = ok(gr).map((r) => r.ai_probability);
    expect(mean(gp)).toBeGreaterThan(mean(hp) + 0.15);
    // AUROC over the 80 essays: the share of (generated, human) pairs ranked the right way.
    const pairs = gp.flatMap((g) => hp.map((h) => (g > h ? 1 : g === h ? 0.5 : 0)));
    expect(mean(pairs)).toBeGreaterThan(0.85);
  });
});
