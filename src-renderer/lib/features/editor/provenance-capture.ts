/**
 * Provenance capture: a ProseMirror plugin that turns every transaction changing the text into plain-text
 * edits with the operation that made them (typing, deleting, paste, cut, drag, undo/redo, or one the
 * caller names with OPERATION_META). Transactions marked REMOTE_META carry edits the server already
 * has (an accepted suggestion, a reload) and are not captured again.
 */
import { Extension } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { isHistoryTransaction } from '@tiptap/pm/history';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import type { EditOperation } from '../../../../src-main/authoring/common/contract';
import { offsetAt, posAt, rangeText, stepChange, type TextChange } from './plain-text';

/** Names the operation of a transaction the editor makes itself ('import', 'replace', 'restore'). */
export const OPERATION_META = 'palimpsest.operation';
/** Marks a transaction whose edit the server already recorded. */
export const REMOTE_META = 'palimpsest.remote';

/** One captured change: the text edit, what it removed, how it was made and, for a move or an internal paste, its source. */
export interface CapturedChange {
  change: TextChange & { deleted: string };
  operation: EditOperation;
  source?: { from: number; to: number };
}

/** The text last copied from this document, and where it is now. */
interface Clip {
  text: string;
  from: number;
  to: number;
}

export const captureKey = new PluginKey('palimpsest.capture');

/** The text changes of `tr`, one per step, with the text each removed. */
function changesOf(tr: Transaction): Array<TextChange & { deleted: string }> {
  const out: Array<TextChange & { deleted: string }> = [];
  for (let i = 0; i < tr.steps.length; i++) {
    const before: PmNode = tr.docs[i]!;
    const after = i + 1 < tr.docs.length ? tr.docs[i + 1]! : tr.doc;
    const change = stepChange(tr.steps[i]!.getMap(), before, after);
    if (!change) continue;
    const deleted =
      change.to > change.from ? rangeText(before, posAt(before, change.from), posAt(before, change.to)) : '';
    out.push({ ...change, deleted });
  }
  return out;
}

/** The operation a transaction performed, from its metadata and, failing that, what it did. */
function operationOf(tr: Transaction, changes: readonly TextChange[]): EditOperation {
  const named = tr.getMeta(OPERATION_META) as EditOperation | undefined;
  if (named) return named;
  if (isHistoryTransaction(tr))
    return (tr.getMeta('history$') as { redo?: boolean } | undefined)?.redo ? 'redo' : 'undo';
  const ui = tr.getMeta('uiEvent') as string | undefined;
  if (ui === 'paste' || tr.getMeta('paste')) return 'paste';
  if (ui === 'cut') return 'cut';
  if (ui === 'drop') return 'drag';
  return changes.every((c) => c.insert === '') ? 'delete' : 'type';
}

/**
 * Classifies one transaction (pure: the clip is what was copied last, or null). A drop that moved
 * text becomes a paste-like 'drag' with the source, recorded before the removal so the text keeps its
 * authors; a drop from elsewhere is an external paste.
 */
export function captureTransaction(tr: Transaction, clip: Clip | null): CapturedChange[] {
  if (!tr.docChanged || tr.getMeta(REMOTE_META)) return [];
  const changes = changesOf(tr);
  if (changes.length === 0) return [];
  const operation = operationOf(tr, changes);
  if (operation === 'drag') {
    const [del, ins] = changes;
    if (changes.length === 2 && del!.insert === '' && ins!.from === ins!.to && ins!.insert === del!.deleted) {
      const n = ins!.insert.length;
      const c = ins!.from < del!.from ? ins!.from : ins!.from + n;
      const shifted = c <= del!.from ? { from: del!.from + n, to: del!.to + n } : { from: del!.from, to: del!.to };
      return [
        {
          change: { from: c, to: c, insert: ins!.insert, deleted: '' },
          operation: 'drag',
          source: { from: del!.from, to: del!.to },
        },
        { change: { ...shifted, insert: '', deleted: del!.deleted }, operation: 'drag' },
      ];
    }
    return changes.map((change) => ({ change, operation: 'paste' }));
  }
  if (operation === 'paste' && clip && changes.length === 1 && changes[0]!.insert === clip.text) {
    return [{ change: changes[0]!, operation, source: { from: clip.from, to: clip.to } }];
  }
  return changes.map((change) => ({ change, operation }));
}

/** Moves a clip's range through one change; null once the change touches the copied text. */
function mapClip(clip: Clip, c: TextChange): Clip | null {
  if (c.to <= clip.from) {
    const d = c.insert.length - (c.to - c.from);
    return { ...clip, from: clip.from + d, to: clip.to + d };
  }
  if (c.from >= clip.to) return clip;
  return null;
}

/**
 * The capture extension. `onChanges` gets each transaction's changes in order with the time they
 * happened; a copy remembers the copied range so a later paste of the same text cites it.
 */
export function provenanceCapture(onChanges: (changes: CapturedChange[], at: number) => void): Extension {
  let clip: Clip | null = null;
  const remember = (state: EditorState) => {
    const { from, to } = state.selection;
    clip =
      from < to
        ? { text: rangeText(state.doc, from, to), from: offsetAt(state.doc, from), to: offsetAt(state.doc, to) }
        : null;
    return false;
  };
  return Extension.create({
    name: 'provenanceCapture',
    addProseMirrorPlugins() {
      return [
        new Plugin({
          key: captureKey,
          props: {
            handleDOMEvents: {
              copy: (view) => remember(view.state),
              // After a cut the text is gone; the edit queue pairs the cut with the paste that moves it.
              cut: () => ((clip = null), false),
            },
          },
          appendTransaction(trs) {
            const at = Date.now();
            for (const tr of trs) {
              const captured = captureTransaction(tr, clip);
              if (captured.length === 0) continue;
              for (const c of captured) if (clip) clip = mapClip(clip, c.change);
              onChanges(captured, at);
            }
            return null;
          },
        }),
      ];
    },
  });
}
