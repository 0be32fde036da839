/**
 * One colour per author, the same in the editor, the provenance panel and the replay: the author's
 * own `color` (authors table) when it has one, else a stable pick from a palette by author id. The
 * author service stores new authors with this pick, and reports colour text with the same rules.
 */
import { HUMAN_AUTHOR_ID } from './authors';

/** Distinguishable on light and dark backgrounds. */
export const AUTHOR_PALETTE = [
  '#4b7bec',
  '#eb3b5a',
  '#20bf6b',
  '#f7b731',
  '#8854d0',
  '#0fb9b1',
  '#fa8231',
  '#a5b1c2',
] as const;

/** The human user's colour when the authors table gives none (its migration stores this one). */
export const HUMAN_COLOR = '#2d3436';

const HEX = /^#[0-9a-f]{6}$/i;

function paletteIndex(authorId: string): number {
  let h = 0;
  for (let i = 0; i < authorId.length; i++) h = (h * 31 + authorId.charCodeAt(i)) >>> 0;
  return h % AUTHOR_PALETTE.length;
}

/** The colour of one author (`#rrggbb`): `knownColor` when it is one, else the palette's pick by id. */
export function authorColor(authorId: string, knownColor?: string | null): string {
  if (knownColor && HEX.test(knownColor)) return knownColor.toLowerCase();
  if (authorId === HUMAN_AUTHOR_ID) return HUMAN_COLOR;
  return AUTHOR_PALETTE[paletteIndex(authorId)]!;
}

/**
 * Colours for the authors of one document, all different while the palette lasts: an author whose
 * colour another author already has (two model authors created with the column's default, or a hash
 * collision) moves to the next unused palette colour. Authors are taken in the given order, so put
 * the longest-standing first to keep colours stable as authors join.
 */
export function authorColors(
  authors: Iterable<{ authorId: string; color?: string | null }>,
): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const a of authors) {
    if (out.has(a.authorId)) continue;
    let c = authorColor(a.authorId, a.color);
    if (used.has(c)) {
      const start = paletteIndex(a.authorId);
      for (let i = 0; i < AUTHOR_PALETTE.length; i++) {
        const candidate = AUTHOR_PALETTE[(start + i) % AUTHOR_PALETTE.length]!;
        if (!used.has(candidate)) {
          c = candidate;
          break;
        }
      }
    }
    out.set(a.authorId, c);
    used.add(c);
  }
  return out;
}

/** `#rrggbb` at `alpha` opacity, for backgrounds behind text (tints stay readable in both themes). */
export function tint(color: string, alpha: number): string {
  const hex = HEX.test(color) ? color : HUMAN_COLOR;
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** No authors yet (what views show before loading). */
export const NO_COLORS: ReadonlyMap<string, string> = new Map();
