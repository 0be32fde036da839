/**
 * Units of a text for style-change analysis (PAN: paragraphs up to 2024, sentences from 2025), with
 * their offsets, and the single-line form PAN's problem files need (one unit per line).
 */
import { splitParagraphs, splitSentences } from '../detection/text-units';
import type { AnalysisUnit, TextUnit } from './common/contract';

/** The units of `text`, in order; empty units are dropped. */
export function splitUnits(text: string, unit: AnalysisUnit): TextUnit[] {
  const spans = unit === 'sentence' ? splitSentences(text) : splitParagraphs(text);
  return spans.map((s) => ({ start: s.start, end: s.end, text: text.slice(s.start, s.end) }));
}

/** A unit on one line: PAN counts units by newlines, so any line break inside becomes a space. */
export function singleLine(text: string): string {
  return text.replace(/\s*[\r\n\u2028\u2029\u0085\v\f]+\s*/g, ' ').trim();
}
