import { describe, expect, it } from 'vitest';
import { chunkParagraphs, emailProse } from './extra-human';

const prose = (n: number): string => Array.from({ length: n }, (_, i) => `word${i % 7 === 0 ? '.' : ''}`).join(' ');
const sentence = 'I tried the new build last night and it seems to work fine for me.';

describe('emailProse', () => {
  it('keeps the body, unwraps lines and drops quotes, attributions and signatures', () => {
    const body = Array.from({ length: 8 }, () => sentence).join('\n');
    const raw = `From: a@b.c\nSubject: hi\n\nOn Mon, Bob wrote:\n> quoted text here\n${body}\n\nSecond paragraph here.\n-- \nAlice\nfooter`;
    const text = emailProse(raw)!;
    expect(text.startsWith('I tried the new build')).toBe(true);
    expect(text).not.toMatch(/quoted|wrote|Alice|footer|From:/);
    expect(text.split('\n\n')).toHaveLength(2);
  });

  it('rejects HTML, non-plain parts, code and short messages', () => {
    const body = Array.from({ length: 10 }, () => sentence).join(' ');
    expect(emailProse(`Subject: x\n\n<html><body>${body}</body></html>`)).toBeNull();
    expect(emailProse(`Content-Type: multipart/mixed\n\n${body}`)).toBeNull();
    expect(emailProse(`Subject: x\n\n${'x = foo(bar[1]); y++; '.repeat(40)}`)).toBeNull();
    expect(emailProse(`Subject: x\n\nThanks, that works.`)).toBeNull();
  });
});

describe('chunkParagraphs', () => {
  it('cuts at paragraph boundaries near the target and drops a short tail', () => {
    const text = [prose(200), prose(200), prose(200), prose(50)].join('\n\n');
    const chunks = chunkParagraphs(text, 350, 300);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.split(/\s+/)).toHaveLength(400);
    const two = chunkParagraphs(text, 350, 100);
    expect(two.map((c) => c.split(/\s+/).length)).toEqual([400, 250]);
  });
});
