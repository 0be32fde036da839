import type Database from 'better-sqlite3';
import { newId } from '../store/ids';
import type { LibraryDocument, LibraryFileKind, Passage } from './common/contract';
import type { ChunkedDocument } from './ingest/chunking';

interface DocRow {
  id: string;
  file_name: string;
  path: string | null;
  kind: LibraryFileKind;
  folder: string;
  tags: string;
  bytes: number;
  hash: string;
  pages: number | null;
  ocr_pages: number;
  added_at: number;
  updated_at: number;
  chunks: number;
}

export interface ChunkRow {
  id: number;
  document_id: string;
  ord: number;
  text: string;
  heading: string | null;
  page: number | null;
  start_at: number;
  end_at: number;
  file_name: string;
}

const DOC_COLUMNS = `d.id, d.file_name, d.path, d.kind, d.folder, d.tags, d.bytes, d.hash, d.pages, d.ocr_pages,
  d.added_at, d.updated_at, (SELECT count(*) FROM library_chunks c WHERE c.document_id = d.id) AS chunks`;

export function toDocument(r: DocRow): LibraryDocument {
  return {
    id: r.id,
    fileName: r.file_name,
    path: r.path,
    kind: r.kind,
    folder: r.folder,
    tags: JSON.parse(r.tags) as string[],
    bytes: r.bytes,
    hash: r.hash,
    pages: r.pages,
    chunks: r.chunks,
    ocrPages: r.ocr_pages,
    addedAt: r.added_at,
    updatedAt: r.updated_at,
  };
}

export function toPassage(r: ChunkRow): Passage {
  return {
    id: r.id,
    documentId: r.document_id,
    doc: r.file_name,
    chunk: r.ord,
    text: r.text,
    page: r.page,
    start: r.start_at,
    end: r.end_at,
    heading: r.heading,
  };
}

/** Documents and chunks: the synchronous SQL the service, the add job and search share. */
export class LibraryStore {
  constructor(readonly db: Database.Database) {}

  listDocuments(filter: { folder?: string; tag?: string } = {}): LibraryDocument[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.folder !== undefined) {
      where.push('d.folder = ?');
      params.push(filter.folder);
    }
    if (filter.tag !== undefined) {
      where.push('EXISTS (SELECT 1 FROM json_each(d.tags) WHERE value = ?)');
      params.push(filter.tag);
    }
    const rows = this.db
      .prepare(
        `SELECT ${DOC_COLUMNS} FROM library_documents d ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
         ORDER BY d.folder, d.file_name, d.id`,
      )
      .all(...params) as DocRow[];
    return rows.map(toDocument);
  }

  getDocument(id: string): LibraryDocument | undefined {
    const r = this.db.prepare(`SELECT ${DOC_COLUMNS} FROM library_documents d WHERE d.id = ?`).get(id) as
      DocRow | undefined;
    return r ? toDocument(r) : undefined;
  }

  /** The document this source would replace: same path, or (uploads) same name in the same folder. */
  findExisting(source: {
    path: string | null;
    fileName: string;
    folder: string;
  }): { id: string; hash: string } | undefined {
    return (
      source.path !== null
        ? this.db.prepare(`SELECT id, hash FROM library_documents WHERE path = ?`).get(source.path)
        : this.db
            .prepare(`SELECT id, hash FROM library_documents WHERE path IS NULL AND folder = ? AND file_name = ?`)
            .get(source.folder, source.fileName)
    ) as { id: string; hash: string } | undefined;
  }

  /**
   * Writes a document and its chunks, replacing an existing one's chunks (`replaceId`). Returns
   * the document id, the chunk ids in order and the ids of the chunks removed.
   */
  saveDocument(
    d: {
      replaceId?: string;
      fileName: string;
      path: string | null;
      kind: LibraryFileKind;
      folder: string;
      tags: readonly string[];
      bytes: number;
      hash: string;
      pages: number | null;
      ocrPages: number;
    },
    chunked: ChunkedDocument,
  ): { id: string; chunkIds: number[]; removedChunkIds: number[] } {
    const now = Date.now();
    let id = d.replaceId;
    let removedChunkIds: number[] = [];
    const pageStarts = chunked.pageStarts ? JSON.stringify(chunked.pageStarts) : null;
    if (id) {
      removedChunkIds = this.deleteChunks(id);
      this.db
        .prepare(
          `UPDATE library_documents SET file_name = ?, kind = ?, folder = ?, tags = ?, bytes = ?, hash = ?, pages = ?,
             ocr_pages = ?, text = ?, page_starts = ?, updated_at = ? WHERE id = ?`,
        )
        .run(
          d.fileName,
          d.kind,
          d.folder,
          JSON.stringify(d.tags),
          d.bytes,
          d.hash,
          d.pages,
          d.ocrPages,
          chunked.text,
          pageStarts,
          now,
          id,
        );
    } else {
      id = newId('lib');
      this.db
        .prepare(
          `INSERT INTO library_documents (id, file_name, path, kind, folder, tags, bytes, hash, pages, ocr_pages, text,
             page_starts, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          d.fileName,
          d.path,
          d.kind,
          d.folder,
          JSON.stringify(d.tags),
          d.bytes,
          d.hash,
          d.pages,
          d.ocrPages,
          chunked.text,
          pageStarts,
          now,
          now,
        );
    }
    const ins = this.db.prepare(
      `INSERT INTO library_chunks (document_id, ord, text, heading, page, start_at, end_at, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const chunkIds = chunked.chunks.map((c) =>
      Number(ins.run(id, c.ord, c.text, c.heading, c.page, c.start, c.end, c.words).lastInsertRowid),
    );
    return { id, chunkIds, removedChunkIds };
  }

  /** Deletes a document's chunks (the FTS rows go with them by trigger); returns their ids. */
  deleteChunks(documentId: string): number[] {
    const ids = this.db
      .prepare(`SELECT id FROM library_chunks WHERE document_id = ?`)
      .pluck()
      .all(documentId) as number[];
    this.db.prepare(`DELETE FROM library_chunks WHERE document_id = ?`).run(documentId);
    return ids;
  }

  deleteDocument(id: string): number[] {
    const removed = this.deleteChunks(id);
    this.db.prepare(`DELETE FROM library_documents WHERE id = ?`).run(id);
    return removed;
  }

  chunks(ids: readonly number[]): Map<number, ChunkRow> {
    const out = new Map<number, ChunkRow>();
    const stmt = this.db.prepare(
      `SELECT c.id, c.document_id, c.ord, c.text, c.heading, c.page, c.start_at, c.end_at, d.file_name
       FROM library_chunks c JOIN library_documents d ON d.id = c.document_id WHERE c.id IN (SELECT value FROM json_each(?))`,
    );
    for (let i = 0; i < ids.length; i += 500) {
      for (const r of stmt.all(JSON.stringify(ids.slice(i, i + 500))) as ChunkRow[]) out.set(r.id, r);
    }
    return out;
  }

  counts(): { documents: number; chunks: number } {
    return this.db
      .prepare(
        `SELECT (SELECT count(*) FROM library_documents) AS documents, (SELECT count(*) FROM library_chunks) AS chunks`,
      )
      .get() as { documents: number; chunks: number };
  }

  documentText(id: string): { text: string; pageStarts: number[] | null; pages: number | null } | undefined {
    const r = this.db.prepare(`SELECT text, page_starts, pages FROM library_documents WHERE id = ?`).get(id) as
      { text: string; page_starts: string | null; pages: number | null } | undefined;
    return r
      ? { text: r.text, pageStarts: r.page_starts ? (JSON.parse(r.page_starts) as number[]) : null, pages: r.pages }
      : undefined;
  }

  getSetting(key: string): string | undefined {
    return this.db.prepare(`SELECT value FROM library_settings WHERE key = ?`).pluck().get(key) as string | undefined;
  }

  setSetting(key: string, value: string): void {
    this.db
      .prepare(
        `INSERT INTO library_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(key, value);
  }
}
