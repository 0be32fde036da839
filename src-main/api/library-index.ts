import { z } from 'zod';
import { DENSE_METHODS, FUSIONS, searchInputSchema } from '../library/common/contract';
import { LIBRARY_MAX_FILE_BYTES } from '../library/common/file-kinds';
import { procedure } from './trpc';

const id = z.string().min(1).max(100);
const folder = z.string().trim().min(1).max(500);
const tag = z.string().trim().min(1).max(200);
const tags = z.array(tag).max(100);
const weight = z.number().min(0).max(10);
/** A file read in the browser, base64: the library's size cap once encoded (4 characters per 3 bytes). */
const base64 = z
  .string()
  .max(Math.ceil(LIBRARY_MAX_FILE_BYTES / 3) * 4, 'The file is too large for the library (over 50 MB).')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The file content is not base64.');

/**
 * The library's index (ingestion, retrieval, passages, pages, settings), spread into `library.*`
 * (./library.ts) beside the curation procedures. `add`/`addFiles` start a `library.add` job:
 * follow it with jobs.onDidChange; its result is an AddJobResult.
 */
export const libraryIndexProcedures = {
  /** Files or folders on this machine (absolute paths) → { jobId }. */
  add: procedure
    .input(
      z
        .object({
          paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000),
          folder: folder.optional(),
          tags: tags.optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => ctx.app.library.add(input)),
  /** Files read in the browser (browser mode uploads) → { jobId }. */
  addFiles: procedure
    .input(
      z
        .object({
          files: z
            .array(z.object({ name: z.string().min(1).max(1000), base64 }))
            .min(1)
            .max(1000),
          folder: folder.optional(),
          tags: tags.optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => ctx.app.library.addFiles(input)),
  /** Documents (LibraryDocument[]), by folder then name; optionally one folder or tag. */
  list: procedure
    .input(z.object({ folder: folder.optional(), tag: tag.optional() }).strict().optional())
    .query(({ ctx, input }) => ctx.app.library.list(input ?? {})),
  /** One document. */
  get: procedure.input(z.object({ id }).strict()).query(({ ctx, input }) => ctx.app.library.get(input.id)),
  remove: procedure
    .input(z.object({ ids: z.array(id).min(1).max(10_000) }).strict())
    .mutation(({ ctx, input }) => ctx.app.library.remove(input)),
  setTags: procedure
    .input(z.object({ id, tags }).strict())
    .mutation(({ ctx, input }) => ctx.app.library.setTags(input)),
  setFolder: procedure
    .input(z.object({ id, folder }).strict())
    .mutation(({ ctx, input }) => ctx.app.library.setFolder(input)),
  /** SearchInput → SearchResult (hits best first, with each retriever's score and curation state). */
  search: procedure.input(searchInputSchema).query(({ ctx, input }) => ctx.app.library.search(input)),
  /** A passage with the source text around it (PassageContext), for highlighting it in its source. */
  passage: procedure
    .input(z.object({ chunkId: z.number().int().nonnegative() }).strict())
    .query(({ ctx, input }) => ctx.app.library.passage(input)),
  /** One page of a PDF with the chunks on it (PageView). */
  page: procedure
    .input(z.object({ documentId: id, page: z.number().int().min(1).max(100_000) }).strict())
    .query(({ ctx, input }) => ctx.app.library.page(input)),
  settings: procedure.query(({ ctx }) => ctx.app.library.settings()),
  /** → { settings, jobId }: jobId when choosing an embedding model started embedding the library. */
  setSettings: procedure
    .input(
      z
        .object({
          dense: z.enum(DENSE_METHODS).optional(),
          embeddingModel: z.string().min(1).max(300).nullable().optional(),
          weights: z.object({ bm25: weight, dense: weight }).strict().optional(),
          fusion: z.enum(FUSIONS).optional(),
          rerank: z.boolean().optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => ctx.app.library.setSettings(input)),
  /** LibraryStatus: counts, the dense method in use, LSA fit, embedding model presence, notices. */
  status: procedure.query(({ ctx }) => ctx.app.library.status()),
};
