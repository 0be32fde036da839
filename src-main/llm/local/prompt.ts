import type { ChatHistoryItem, ChatWrapper, LlamaModel, Token } from 'node-llama-cpp';
import type { ChatMessage, GenerationRequest } from '../provider';

/** A request turned into tokens, plus stop strings the chat template needs. */
export interface PromptTokens {
  tokens: Token[];
  templateStops: string[];
}

/**
 * Tokenizes a completion prompt verbatim (special-token text in it stays plain text, so a user's
 * "</s>" cannot end the turn) with the model's BOS, or renders a chat with the model's own chat
 * template (from its GGUF, via node-llama-cpp's resolver; a generic template when it has none).
 */
export function tokenizeRequest(
  model: LlamaModel,
  request: GenerationRequest,
  chatWrapper: () => ChatWrapper,
): PromptTokens {
  if (request.kind === 'completion') {
    const bos = model.tokens.bos;
    const prefix = model.tokens.shouldPrependBosToken && bos !== null ? [bos] : [];
    return { tokens: [...prefix, ...model.tokenize(request.prompt, false)], templateStops: [] };
  }
  const wrapper = chatWrapper();
  const state = wrapper.generateContextState({ chatHistory: toChatHistory(request.messages) });
  // Triggers made of special tokens (e.g. <|im_end|>) are end-of-generation tokens, which the
  // sampler already stops on; plain-text triggers become stop strings.
  const templateStops = state.stopGenerationTriggers
    .filter((t) => t.values.every((v) => typeof v === 'string'))
    .map((t) => t.values.join(''))
    .filter((s) => s.length > 0);
  return { tokens: state.contextText.tokenize(model.tokenizer), templateStops };
}

/** Ends with an open model turn, unless the last message is the assistant's (then it is continued). */
function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m) =>
    m.role === 'system'
      ? { type: 'system', text: m.content }
      : m.role === 'user'
        ? { type: 'user', text: m.content }
        : { type: 'model', response: [m.content] },
  );
  if (history.at(-1)?.type !== 'model') history.push({ type: 'model', response: [] });
  return history;
}
