import type { ProviderRef } from '../llm/endpoints/endpoint-types';
import type { GenerationSettings } from '../llm/provider';
import type { AuthorKind } from './common/authors';

/** A human or model author as the editor shows it. */
export interface Author {
  id: string;
  kind: AuthorKind;
  name: string;
  /** CSS colour used to highlight this author's spans. */
  color: string;
  createdAt: number;
  /** Present for kind 'model'. */
  model?: ModelAuthorConfig;
}

/** How a model author generates. */
export interface ModelAuthorConfig {
  provider: ProviderRef;
  /** Model id as the provider knows it (`qwen2.5:0.5b`, `gpt-4o-mini`, an installed model id). */
  model: string;
  /** Default sampling; a call's settings override these field by field. */
  sampling: GenerationSettings;
  /** Persona sent as the system message of chat requests. */
  systemPrompt: string | null;
}

export interface CreateModelAuthorInput {
  name: string;
  color?: string;
  /** Defaults to `model_<random>`. */
  id?: string;
  provider: ProviderRef;
  model: string;
  sampling?: GenerationSettings;
  systemPrompt?: string | null;
}

export type UpdateModelAuthorInput = Partial<Omit<CreateModelAuthorInput, 'id'>>;
