import type { StoryPart } from '../../../../src-main/stories/common/contract';

/** "183 words · 412 prompt tokens, 380 reused (92 %) · 240 generated · first token 35 ms · 4.1 s". */
export function partStats(p: StoryPart): string {
  const bits = [`${p.words} ${p.words === 1 ? 'word' : 'words'}`];
  if (p.promptTokens > 0) {
    const share = Math.round((p.reusedTokens / p.promptTokens) * 100);
    bits.push(
      `${p.promptTokens} prompt tokens: ${p.reusedTokens} reused (${share} %), ${p.promptTokens - p.reusedTokens} evaluated`,
    );
  }
  if (p.completionTokens > 0) bits.push(`${p.completionTokens} generated`);
  if (p.timeToFirstTokenMs !== null) bits.push(`first token ${Math.round(p.timeToFirstTokenMs)} ms`);
  if (p.totalMs !== null)
    bits.push(p.totalMs < 1000 ? `${Math.round(p.totalMs)} ms` : `${(p.totalMs / 1000).toFixed(1)} s`);
  return bits.join(' · ');
}

/** "12 Mar, 14:05". */
export function shortDate(ms: number): string {
  return new Date(ms).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export const STATUS_LABELS = {
  writing: 'writing',
  'awaiting-human': 'your turn',
  done: 'done',
  failed: 'failed',
} as const;

/** A part's or author's model (`endpoint:ep_1/llama-3-8b`) as people read it: the model id, without the provider ref. */
export function modelLabel(model: string | null): string {
  if (!model) return '';
  return model.replace(/^(?:local|ollama|(?:endpoint|pool):[^/]+)\//, '');
}

/** A batch id's short tag for menus (`batch_k3j9x2…` → `k3j9x2`). */
export const batchTag = (batchId: string): string => batchId.replace(/^batch_/, '').slice(0, 6);
