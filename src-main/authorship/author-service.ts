import type Database from 'better-sqlite3';
import { AppError, notFound } from '../core/app-error';
import { newId } from '../store/ids';
import { checkGenerationSettings } from '../llm/generation-settings';
import type { GenerationSettings } from '../llm/provider';
import type { Author, CreateModelAuthorInput, UpdateModelAuthorInput } from './author-types';
import type { AuthorKind } from './common/authors';
import { authorColor } from './common/author-colors';

interface AuthorRow {
  id: string;
  kind: AuthorKind;
  name: string;
  color: string;
  created_at: number;
  provider: string | null;
  model: string | null;
  sampling: string | null;
  system_prompt: string | null;
}

const SELECT_AUTHORS = `
  SELECT a.id, a.kind, a.name, a.color, a.created_at, m.provider, m.model, m.sampling, m.system_prompt
  FROM authors a LEFT JOIN model_authors m ON m.author_id = a.id`;

/**
 * Authors: the human user and model "co-writers" (provider, model, sampling defaults, persona).
 * Synchronous like the rest of the store; each write is one transaction.
 */
export class AuthorService {
  constructor(private readonly db: Database.Database) {}

  /** All authors, the human first, then models by creation time. */
  list(): Author[] {
    const rows = this.db
      .prepare(`${SELECT_AUTHORS} ORDER BY a.kind = 'model', a.created_at, a.id`)
      .all() as AuthorRow[];
    return rows.map(toAuthor);
  }

  /** Throws AppError('not_found') for an unknown id. */
  get(id: string): Author {
    const row = this.db.prepare(`${SELECT_AUTHORS} WHERE a.id = ?`).get(id) as AuthorRow | undefined;
    if (!row) throw notFound('Author', id);
    return toAuthor(row);
  }

  /** Creates a model author. Throws AppError('conflict') when the id is taken. */
  createModelAuthor(input: CreateModelAuthorInput): Author {
    if (!input.name.trim()) throw new AppError('bad_request', 'An author needs a name.');
    if (!input.provider || !input.model)
      throw new AppError('bad_request', 'A model author needs a provider and a model.');
    checkGenerationSettings(input.sampling ?? {});
    const id = input.id ?? newId('model');
    const now = Date.now();
    try {
      this.db.transaction(() => {
        this.db
          .prepare(`INSERT INTO authors (id, kind, name, color, created_at) VALUES (?, 'model', ?, ?, ?)`)
          .run(id, input.name.trim(), input.color ?? authorColor(id), now);
        this.db
          .prepare(
            `INSERT INTO model_authors (author_id, provider, model, sampling, system_prompt, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(id, input.provider, input.model, JSON.stringify(input.sampling ?? {}), input.systemPrompt ?? null, now);
      })();
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
        throw new AppError('conflict', `An author with id ${id} already exists.`, { id });
      throw e;
    }
    return this.get(id);
  }

  /** Updates name/colour and, for model authors, provider, model, sampling and persona. */
  update(id: string, patch: UpdateModelAuthorInput): Author {
    const current = this.get(id);
    if (
      current.kind === 'human' &&
      (patch.provider || patch.model || patch.sampling || patch.systemPrompt !== undefined)
    ) {
      throw new AppError('bad_request', 'The human author has no model settings.');
    }
    if (patch.sampling) checkGenerationSettings(patch.sampling);
    this.db.transaction(() => {
      if (patch.name !== undefined || patch.color !== undefined) {
        this.db
          .prepare(`UPDATE authors SET name = ?, color = ? WHERE id = ?`)
          .run(patch.name?.trim() || current.name, patch.color ?? current.color, id);
      }
      if (current.model) {
        this.db
          .prepare(
            `UPDATE model_authors SET provider = ?, model = ?, sampling = ?, system_prompt = ?, updated_at = ? WHERE author_id = ?`,
          )
          .run(
            patch.provider ?? current.model.provider,
            patch.model ?? current.model.model,
            JSON.stringify(patch.sampling ?? current.model.sampling),
            patch.systemPrompt !== undefined ? patch.systemPrompt : current.model.systemPrompt,
            Date.now(),
            id,
          );
      }
    })();
    return this.get(id);
  }

  /**
   * Deletes a model author. Throws AppError('conflict') for the human author or for an author
   * whose text is in a document's history (provenance must stay resolvable).
   */
  delete(id: string): void {
    const author = this.get(id);
    if (author.kind === 'human') throw new AppError('conflict', 'The human author cannot be deleted.');
    try {
      this.db.prepare(`DELETE FROM authors WHERE id = ?`).run(id);
    } catch (e) {
      if (String((e as { code?: string }).code).startsWith('SQLITE_CONSTRAINT')) {
        throw new AppError(
          'conflict',
          `${author.name} wrote text that is still in a document's history, so it cannot be deleted.`,
          { id },
        );
      }
      throw e;
    }
  }
}

function toAuthor(r: AuthorRow): Author {
  const author: Author = { id: r.id, kind: r.kind, name: r.name, color: r.color, createdAt: r.created_at };
  if (r.kind === 'model' && r.provider !== null && r.model !== null) {
    author.model = {
      provider: r.provider,
      model: r.model,
      sampling: JSON.parse(r.sampling ?? '{}') as GenerationSettings,
      systemPrompt: r.system_prompt,
    };
  }
  return author;
}
