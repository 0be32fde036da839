import { AppError } from '../../core/app-error';
import type { ChatMessage } from '../../llm/provider';
import { contextWindow, formatCount, type ContextBounds, type ContextWindow } from './context-window';
import type { PromptStyle, SuggestOperation } from './suggestion-types';

export interface OperationPromptInput {
  operation: SuggestOperation;
  /** The document's plain text now. */
  text: string;
  /** The selection (from == to: the cursor). UTF-16 offsets into `text`. */
  from: number;
  to: number;
  /** The writer's instruction (required for `instruction`). */
  instruction?: string;
  bounds: ContextBounds;
  /** `chat` for instruct models; `completion` continues the raw text (the only form base models know). */
  style: Exclude<PromptStyle, 'auto'>;
}

/** What to send, and where the model's answer would land. */
export interface OperationPrompt {
  mode: 'chat' | 'completion';
  prompt: string | ChatMessage[];
  /** The range an accepted suggestion replaces (from == to: an insertion). */
  target: { from: number; to: number };
  /** The text `target` holds now ('' for an insertion): what accepting replaces. */
  original: string;
  /** Put before the model's text when it becomes a new paragraph ("\n", or "" at a line start). */
  separator: string;
  /**
   * A chat answer inserted right after a word: the model replies without the space a completion
   * would have started with, so one goes in front (unless the answer opens with punctuation).
   */
  spaceBefore: boolean;
  /** What the prompt holds, in plain words, and how many of the document's characters it sends. */
  context: { description: string; chars: number };
}

/**
 * Builds the prompt of one editor operation over a bounded window of the document:
 * - continue: writes what comes next at the cursor (after the selection, if any); in completion
 *   style the prompt is only the text before it, so a base model simply continues it; in chat style
 *   the text before the cursor is the last thing in the message, after the text that follows it.
 * - extend: a new paragraph after the selection (or after the cursor's paragraph) that develops it.
 * - polish / rewrite: replace the selection (same meaning, better wording / new wording).
 * - summarize: a summary of the selection after it, or of the document (its first `maxPassage`
 *   characters) at the cursor.
 * - instruction: the writer's instruction applied to the selection (replacing it), or written at
 *   the cursor when nothing is selected.
 * @throws AppError bad_request for a range outside the text, a missing selection or instruction, or
 * a selection longer than `bounds.maxPassage`.
 */
export function buildOperationPrompt(input: OperationPromptInput): OperationPrompt {
  const { operation, text, from, to, bounds } = input;
  const hasSelection = to > from;
  const instruction = input.instruction?.trim() ?? '';
  contextWindow(text, from, to, bounds, { cutPassage: true }); // checks the range first
  switch (operation) {
    case 'continue': {
      const w = contextWindow(text, to, to, bounds);
      if (input.style === 'completion')
        return {
          mode: 'completion',
          prompt: w.before,
          target: { from: to, to },
          original: '',
          separator: '',
          spaceBefore: false,
          context: describe(w, { before: 'the cursor', after: false }),
        };
      const parts = [
        'Continue the text below from exactly where it stops, in the same voice and style. ' +
          'Reply with the continuation only: no preamble, no quotation marks.',
      ];
      if (w.after)
        parts.push(`For reference, the text that follows (do not repeat it):\n<after>\n${w.after}\n</after>`);
      parts.push(`The text to continue:\n${w.before}`);
      return chat(parts, { from: to, to }, '', describe(w, { before: 'the cursor', after: true }), {
        spaceBefore: endsInWord(w.before),
      });
    }
    case 'extend': {
      const range = hasSelection ? { from, to } : paragraphAt(text, to);
      const w = contextWindow(text, range.from, range.to, bounds);
      const what = hasSelection ? 'the selection' : 'the paragraph at the cursor';
      const context = describe(w, { before: what, passage: what, after: true });
      const separator = separatorAt(text, range.to);
      if (input.style === 'completion')
        return {
          mode: 'completion',
          prompt: `${w.before}${w.passage}\n`,
          target: { from: range.to, to: range.to },
          original: '',
          separator,
          spaceBefore: false,
          context: describe(w, { before: what, passage: what, after: false }),
        };
      return chat(
        [
          'Write one new paragraph that develops the passage: add detail, an example or the next step of its ' +
            'thought, in the same voice. It will be placed right after the passage. Reply with the new paragraph only.',
          ...sections(w),
        ],
        { from: range.to, to: range.to },
        separator,
        context,
      );
    }
    case 'polish':
    case 'rewrite': {
      if (!hasSelection) throw new AppError('bad_request', `Select the text to ${operation} first.`);
      const w = contextWindow(text, from, to, bounds);
      const task =
        operation === 'polish'
          ? 'Improve the wording of the passage: fix grammar and awkward phrasing, keep its meaning, tone and ' +
            'about its length. Reply with the improved passage only.'
          : 'Rewrite the passage in your own words, keeping what it says. Reply with the rewritten passage only.';
      return chat(
        [task, ...sections(w)],
        { from, to },
        '',
        describe(w, { before: 'the selection', passage: 'the selection', after: true }),
        { original: w.passage },
      );
    }
    case 'summarize': {
      if (hasSelection) {
        const w = contextWindow(text, from, to, bounds);
        return chat(
          [
            'Summarize the passage in a few sentences. It will be placed right after the passage. ' +
              'Reply with the summary only.',
            `<passage>\n${w.passage}\n</passage>`,
          ],
          { from: to, to },
          separatorAt(text, to),
          describe({ ...w, before: '', after: '', beforeCut: false, afterCut: false }, { passage: 'the selection' }),
        );
      }
      const w = contextWindow(text, 0, text.length, bounds, { cutPassage: true });
      if (!w.passage.trim()) throw new AppError('bad_request', 'There is nothing to summarize yet.');
      return chat(
        [
          'Summarize the document in a few sentences. Reply with the summary only.',
          `<document>\n${w.passage}\n</document>`,
        ],
        { from: to, to },
        separatorAt(text, to),
        describe({ ...w, before: '', after: '', beforeCut: false, afterCut: false }, { passage: 'the document' }),
      );
    }
    case 'instruction': {
      if (!instruction) throw new AppError('bad_request', 'Write an instruction for the model first.');
      if (hasSelection) {
        const w = contextWindow(text, from, to, bounds);
        return chat(
          [
            `Apply this instruction to the passage: ${instruction}\nReply with the resulting passage only; it replaces the passage.`,
            ...sections(w),
          ],
          { from, to },
          '',
          describe(w, { before: 'the selection', passage: 'the selection', after: true }),
          { original: w.passage },
        );
      }
      const w = contextWindow(text, to, to, bounds);
      return chat(
        [
          `Follow this instruction: ${instruction}\nWhat you write is inserted at the cursor, between the text ` +
            'before and after it. Reply with the text to insert only.',
          ...sections(w, '<cursor/>'),
        ],
        { from: to, to },
        '',
        describe(w, { before: 'the cursor', after: true }),
        { spaceBefore: endsInWord(w.before) },
      );
    }
  }
}

function chat(
  parts: string[],
  target: OperationPrompt['target'],
  separator: string,
  context: OperationPrompt['context'],
  extra: { original?: string; spaceBefore?: boolean } = {},
): OperationPrompt {
  return {
    mode: 'chat',
    prompt: [{ role: 'user', content: parts.join('\n\n') }],
    target,
    original: extra.original ?? '',
    separator,
    spaceBefore: extra.spaceBefore ?? false,
    context,
  };
}

/** True when the text ends inside a line of words (not after a space or a line break). */
function endsInWord(before: string): boolean {
  return before.length > 0 && !/\s$/u.test(before);
}

/** The window as tagged sections; an empty passage becomes `marker` between before and after. */
function sections(w: ContextWindow, marker?: string): string[] {
  const out: string[] = [];
  if (w.before) out.push(`<before>\n${w.before}\n</before>`);
  if (w.passage || !marker) out.push(`<passage>\n${w.passage}\n</passage>`);
  else out.push(marker);
  if (w.after) out.push(`<after>\n${w.after}\n</after>`);
  return out;
}

/** The line (paragraph: blocks are joined by "\n") around `at`. */
function paragraphAt(text: string, at: number): { from: number; to: number } {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  return { from: start, to: end === -1 ? text.length : end };
}

/** A new paragraph needs a line break unless it starts a line. */
function separatorAt(text: string, at: number): string {
  return at === 0 || text[at - 1] === '\n' ? '' : '\n';
}

/**
 * "The 1,240 characters before the cursor and the selection (312 characters)": what the prompt
 * holds, with what was left out when a bound cut it.
 */
function describe(
  w: ContextWindow,
  what: { before?: string; passage?: string; after?: boolean },
): OperationPrompt['context'] {
  const parts: string[] = [];
  let chars = 0;
  if (what.before !== undefined && w.before) {
    parts.push(`the ${w.beforeCut ? 'last ' : ''}${chars_(w.before.length)} before ${what.before}`);
    chars += w.before.length;
  }
  if (what.passage !== undefined) {
    parts.push(
      w.passageCut
        ? `the first ${chars_(w.passage.length)} of ${what.passage}`
        : `${what.passage} (${chars_(w.passage.length)})`,
    );
    chars += w.passage.length;
  }
  if (what.after && w.after) {
    parts.push(`the ${w.afterCut ? 'first ' : ''}${chars_(w.after.length)} after it`);
    chars += w.after.length;
  }
  if (parts.length === 0) return { description: 'No text from the document: there is none before the cursor.', chars };
  const joined = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
  return { description: `${joined[0]!.toUpperCase()}${joined.slice(1)}.`, chars };
}

const chars_ = (n: number) => `${formatCount(n)} character${n === 1 ? '' : 's'}`;
