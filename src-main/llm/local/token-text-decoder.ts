/** Turns tokens into text; `context` are the tokens just before, for tokenizer spacing rules. */
export type Detokenize = (tokens: readonly number[], context: readonly number[]) => string;

/** How many preceding tokens to pass as context (enough for SentencePiece/BPE spacing heuristics). */
const CONTEXT_TOKENS = 4;
/** A UTF-8 character spans at most 4 byte tokens; past that, give up waiting and emit as is. */
const MAX_PENDING = 4;

/**
 * Incremental detokenizer. Byte-fallback tokenizers split one character over several tokens, and
 * decoding those one by one gives U+FFFD; so tokens are held until they decode to whole characters.
 */
export class TokenTextDecoder {
  private readonly history: number[] = [];
  private pending: number[] = [];

  constructor(
    private readonly detokenize: Detokenize,
    /** Tokens that precede the generation (the prompt's tail). */
    context: readonly number[] = [],
  ) {
    this.history.push(...context.slice(-CONTEXT_TOKENS));
  }

  /** Adds one token; returns the text it completes ('' while a character is still incomplete). */
  push(token: number): string {
    this.pending.push(token);
    const text = this.detokenize(this.pending, this.history.slice(-CONTEXT_TOKENS));
    if (text.endsWith('\uFFFD') && this.pending.length < MAX_PENDING) return '';
    this.history.push(...this.pending);
    if (this.history.length > CONTEXT_TOKENS * 4) this.history.splice(0, this.history.length - CONTEXT_TOKENS);
    this.pending = [];
    return text;
  }
}
