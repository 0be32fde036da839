import type { GenerationSettings } from '../llm/provider';

/** One generation as recorded in `generations`. */
export interface GenerationRecord {
  id: number;
  /** The model author, or null for a direct provider + model call. */
  authorId: string | null;
  provider: string;
  model: string;
  /** The settings actually sent (defaults applied), so the row says what was asked for. */
  settings: GenerationSettings;
  promptSha256: string;
  promptTokens: number;
  completionTokens: number;
  ttftMs: number | null;
  tokensPerSecond: number | null;
  totalMs: number;
  finishReason: 'stop' | 'length' | 'abort' | 'error';
  errorCode: string | null;
  documentId: string | null;
  createdAt: number;
}

export type NewGenerationRecord = Omit<GenerationRecord, 'id' | 'createdAt'>;
