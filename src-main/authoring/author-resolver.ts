import type Database from 'better-sqlite3';
import { AppError } from '../core/app-error';
import { newId } from '../store/ids';
import { authorColor } from '../authorship/common/author-colors';
import type { AuthorKind } from '../authorship/common';

interface AuthorRow {
  id: string;
  name: string;
  kind: AuthorKind;
}

/**
 * Turns the `author` of an edit (an id, or a name as `docs apply` files carry) into an author id.
 * An unknown name becomes a new author of the edit's kind; run it inside the apply transaction so
 * a failed batch creates nobody.
 */
export class AuthorResolver {
  private readonly byId = new Map<string, AuthorRow>();
  private readonly byName = new Map<string, AuthorRow>();

  constructor(private readonly db: Database.Database) {
    const rows = db.prepare('SELECT id, name, kind FROM authors ORDER BY created_at, id').all() as AuthorRow[];
    for (const r of rows) {
      this.byId.set(r.id, r);
      const key = nameKey(r.name, r.kind);
      if (!this.byName.has(key)) this.byName.set(key, r);
    }
  }

  /** The id for `author` of `kind`; throws AppError('bad_request') when it exists with the other kind. */
  resolve(author: string, kind: AuthorKind): string {
    const known = this.byId.get(author) ?? this.byName.get(nameKey(author, kind));
    if (known) {
      if (known.kind !== kind) {
        throw new AppError('bad_request', `${known.name} is a ${known.kind} author, not a ${kind} one.`);
      }
      return known.id;
    }
    const other = this.byName.get(nameKey(author, kind === 'human' ? 'model' : 'human'));
    if (other) throw new AppError('bad_request', `${other.name} is a ${other.kind} author, not a ${kind} one.`);
    const name = author.trim();
    if (!name) throw new AppError('bad_request', 'An edit needs an author.');
    const row: AuthorRow = { id: newId(kind === 'human' ? 'human' : 'model'), name, kind };
    this.db
      .prepare('INSERT INTO authors (id, kind, name, color, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(row.id, kind, name, authorColor(row.id), Date.now());
    this.byId.set(row.id, row);
    this.byName.set(nameKey(name, kind), row);
    return row.id;
  }
}

const nameKey = (name: string, kind: AuthorKind) => `${kind}\u0000${name.trim()}`;
