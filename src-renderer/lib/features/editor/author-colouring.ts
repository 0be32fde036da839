/**
 * Author colouring: inline decorations tinting each provenance span in its author's colour (title:
 * author and operation). Spans come from `authoring.provenance`; between two fetches the decorations
 * follow the edits, and text typed since shows as the writer's. Off: no decorations at all, so the
 * plugin costs nothing per keystroke.
 */
import { Extension } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { REMOTE_META } from './provenance-capture';
import { positionsOf } from './plain-text';

/** One coloured run of the plain text. */
export interface ColourSpan {
  start: number;
  end: number;
  color: string;
  /** Shown on hover: who wrote it and how. */
  label: string;
}

interface ColouringState {
  on: boolean;
  decorations: DecorationSet;
  /** How text typed since the last fetch is shown. */
  writer: { color: string; label: string };
}

export const colouringKey = new PluginKey<ColouringState>('palimpsest.colouring');

/** Meta for colouringKey: turn colouring on with these spans, or off (null). */
export type ColouringMeta = { spans: ColourSpan[]; writer: { color: string; label: string } } | null;

function tintStyle(color: string): string {
  return `background-color: color-mix(in srgb, ${color} 22%, transparent); box-shadow: inset 0 -2px 0 ${color};`;
}

function decorate(doc: PmNode, spans: readonly ColourSpan[]): DecorationSet {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const offsets: number[] = [];
  for (const s of sorted) offsets.push(s.start, s.end);
  const positions = positionsOf(doc, offsets);
  const decorations: Decoration[] = [];
  sorted.forEach((s, i) => {
    const from = positions[2 * i]!;
    const to = positions[2 * i + 1]!;
    if (to > from)
      decorations.push(Decoration.inline(from, to, { style: tintStyle(s.color), title: s.label, class: 'pal-author' }));
  });
  return DecorationSet.create(doc, decorations);
}

export const AuthorColouring = Extension.create({
  name: 'authorColouring',
  addProseMirrorPlugins() {
    return [
      new Plugin<ColouringState>({
        key: colouringKey,
        state: {
          init: () => ({ on: false, decorations: DecorationSet.empty, writer: { color: '', label: '' } }),
          apply(tr, value) {
            const meta = tr.getMeta(colouringKey) as ColouringMeta | undefined;
            if (meta === null) return { ...value, on: false, decorations: DecorationSet.empty };
            if (meta) return { on: true, decorations: decorate(tr.doc, meta.spans), writer: meta.writer };
            if (!value.on || !tr.docChanged) return value;
            let decorations = value.decorations.map(tr.mapping, tr.doc);
            if (!tr.getMeta(REMOTE_META)) {
              const added: Decoration[] = [];
              tr.mapping.maps.forEach((map, i) => {
                map.forEach((_a, _b, newStart, newEnd) => {
                  const rest = tr.mapping.slice(i + 1);
                  const from = rest.map(newStart, -1);
                  const to = rest.map(newEnd, 1);
                  if (to > from) {
                    added.push(
                      Decoration.inline(from, to, {
                        style: tintStyle(value.writer.color),
                        title: value.writer.label,
                        class: 'pal-author',
                      }),
                    );
                  }
                });
              });
              // Drawn over the span it landed in (the server's next spans say exactly what it became).
              if (added.length) decorations = decorations.add(tr.doc, added);
            }
            return { ...value, decorations };
          },
        },
        props: {
          decorations: (state) => colouringKey.getState(state)?.decorations,
        },
      }),
    ];
  },
});
