/**
 * A story cut into analysis units with their truth: which part (and author) each unit comes from,
 * and PAN's `changes` (1 exactly where consecutive units come from different parts by different
 * authors). The units come from the parts joined by blank lines, so a unit never spans two parts
 * and the story's analysis (stories.analyze) sees the same units as its PAN export.
 */
import type { Story } from '../common/contract';
import { singleLine, splitUnits } from '../../style-change/units';
import type { AnalysisUnit, TextUnit } from '../../style-change/common/contract';

export interface StoryUnit extends TextUnit {
  partIndex: number;
  authorId: string;
}

export interface StoryUnits {
  /** The parts joined by blank lines; unit offsets refer to it. */
  text: string;
  units: StoryUnit[];
  changes: Array<0 | 1>;
  /** Distinct authors of the parts that have units. */
  authors: number;
}

export function storyUnits(story: Pick<Story, 'parts'>, unit: AnalysisUnit): StoryUnits {
  const ranges: { start: number; end: number; partIndex: number; authorId: string }[] = [];
  let text = '';
  for (const part of story.parts) {
    const body = part.text.trim();
    if (body === '') continue;
    if (text !== '') text += '\n\n';
    ranges.push({ start: text.length, end: text.length + body.length, partIndex: part.index, authorId: part.authorId });
    text += body;
  }
  const units: StoryUnit[] = [];
  let r = 0;
  for (const u of splitUnits(text, unit)) {
    while (ranges[r]!.end <= u.start) r++;
    const range = ranges[r]!;
    units.push({ ...u, partIndex: range.partIndex, authorId: range.authorId });
  }
  const changes = units
    .slice(1)
    .map((u, i): 0 | 1 => (u.partIndex !== units[i]!.partIndex && u.authorId !== units[i]!.authorId ? 1 : 0));
  return { text, units, changes, authors: new Set(units.map((u) => u.authorId)).size };
}

/** PAN's problem file: one unit per line, no trailing newline (PAN counts units as newlines + 1). */
export function panProblemText(units: readonly TextUnit[]): string {
  return units.map((u) => singleLine(u.text)).join('\n');
}
