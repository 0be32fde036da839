import { z } from 'zod';
import { MAX_MAX_TOKENS } from '../llm/generation-settings';
import { procedure, router } from './trpc';

const id = z.string().min(1).max(200);
/** `local`, `ollama`, `endpoint:<id>` or `pool:<name>`. */
const providerRef = z.string().min(1).max(200);
const settings = z
  .object({
    maxTokens: z.number().int().min(1).max(MAX_MAX_TOKENS).optional(),
    temperature: z.number().min(0).max(5).optional(),
    topP: z.number().min(0).max(1).optional(),
    topK: z.number().int().min(0).max(1000).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    stop: z.array(z.string().min(1).max(200)).max(8).optional(),
    logprobs: z.boolean().optional(),
  })
  .strict();
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour');
const authorFields = {
  name: z.string().trim().min(1).max(100),
  color: color.optional(),
  provider: providerRef,
  model: z.string().min(1).max(300),
  sampling: settings.optional(),
  systemPrompt: z.string().max(20_000).nullable().optional(),
};
const endpointFields = {
  name: z.string().trim().min(1).max(100),
  baseUrl: z.string().trim().min(1).max(2000),
  pool: z.string().trim().max(100).nullable().optional(),
};
const message = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().max(200_000) });

/**
 * LLM providers, local models, catalog downloads, endpoints, model authors and generation.
 * Endpoint API keys go in and never come out (`hasKey` only).
 */
export const llmRouter = router({
  /** Reachability, latency and models of the local engine, Ollama (when running) and each endpoint. */
  health: procedure.query(({ ctx }) => ctx.app.llm.health()),

  /** GGUF files in `<dataDir>/models` with size, quantization and context length. */
  installed: procedure.query(({ ctx }) => ctx.app.llm.listInstalled()),
  /** Imports a GGUF or llama2.c checkpoint from a path on the machine running Palimpsest. */
  importModel: procedure
    .input(
      z.object({
        path: z.string().trim().min(1).max(4096),
        tokenizerPath: z.string().trim().min(1).max(4096).optional(),
        /** File name in the models folder (made safe); default from the source. */
        name: z.string().trim().min(1).max(200).optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.app.llm.importModel(input)),
  deleteModel: procedure.input(z.object({ id })).mutation(({ ctx, input }) => ctx.app.llm.deleteModel(input.id)),

  /** Curated downloadable models with memory needed vs free memory and checksum status. */
  catalog: procedure.query(({ ctx }) => ctx.app.llm.catalog()),
  /**
   * Enqueues a `models.download` job for a catalog entry, or for a `.gguf` URL (with an optional
   * SHA-256; without one it installs unverified); a queued or interrupted download of the same
   * model is returned instead. Progress arrives through `jobs.onDidChange`.
   */
  download: procedure
    .input(
      z.union([
        z.object({ catalogId: id }).strict(),
        z
          .object({
            url: z.string().trim().min(1).max(4096),
            fileName: z.string().trim().min(1).max(200).optional(),
            sha256: z
              .string()
              .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits')
              .optional(),
          })
          .strict(),
      ]),
    )
    .mutation(({ ctx, input }) =>
      'catalogId' in input ? ctx.app.llm.startDownload(input.catalogId) : ctx.app.llm.startUrlDownload(input),
    ),
  /** Whether Ollama runs at its configured address, and its models (800 ms at most; never fails). */
  ollama: procedure.query(({ ctx }) => ctx.app.llm.probeOllama()),

  endpoints: procedure.query(({ ctx }) => ctx.app.llm.listEndpoints()),
  addEndpoint: procedure
    .input(z.object({ ...endpointFields, apiKey: z.string().max(4096).optional() }))
    .mutation(({ ctx, input }) => ctx.app.llm.addEndpoint(input)),
  /** `apiKey`: a new key, `null` to remove it, absent to keep it. */
  updateEndpoint: procedure
    .input(
      z.object({
        id,
        name: endpointFields.name.optional(),
        baseUrl: endpointFields.baseUrl.optional(),
        pool: endpointFields.pool,
        apiKey: z.string().max(4096).nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const { id: endpointId, ...patch } = input;
      return ctx.app.llm.updateEndpoint(endpointId, patch);
    }),
  removeEndpoint: procedure.input(z.object({ id })).mutation(({ ctx, input }) => ctx.app.llm.removeEndpoint(input.id)),
  /** Tests a saved endpoint (`id`) or unsaved values (`baseUrl`, `apiKey`). */
  testEndpoint: procedure
    .input(
      z.union([
        z.object({ id }),
        z.object({ baseUrl: endpointFields.baseUrl, apiKey: z.string().max(4096).optional() }),
      ]),
    )
    .mutation(({ ctx, input }) => ctx.app.llm.testEndpoint(input)),

  /** The human author first, then model authors. */
  authors: procedure.query(({ ctx }) => ctx.app.llm.listAuthors()),
  createAuthor: procedure.input(z.object(authorFields)).mutation(({ ctx, input }) => ctx.app.llm.createAuthor(input)),
  updateAuthor: procedure
    .input(z.object({ id, ...z.object(authorFields).partial().shape }))
    .mutation(({ ctx, input }) => {
      const { id: authorId, ...patch } = input;
      return ctx.app.llm.updateAuthor(authorId, patch);
    }),
  deleteAuthor: procedure.input(z.object({ id })).mutation(({ ctx, input }) => ctx.app.llm.deleteAuthor(input.id)),
  /** Recent generations, newest first. */
  generations: procedure
    .input(z.object({ authorId: id.optional(), limit: z.number().int().min(1).max(500).optional() }).optional())
    .query(({ ctx, input }) => ctx.app.llm.listGenerations(input ?? {})),

  /**
   * Streams a generation: text parts, then one finish part with usage and timings. Unsubscribing
   * (the Stop button) aborts it; the generation is recorded either way.
   */
  generate: procedure
    .input(
      z
        .object({
          authorId: id.optional(),
          provider: providerRef.optional(),
          model: z.string().min(1).max(300).optional(),
          prompt: z.string().max(200_000).optional(),
          messages: z.array(message).min(1).max(200).optional(),
          /** An unsaved OpenAI-compatible server instead of `provider`; `apiKey` is stored nowhere. */
          baseUrl: z.string().trim().min(1).max(2000).optional(),
          apiKey: z.string().max(4096).optional(),
          mode: z.enum(['chat', 'completion']).optional(),
          settings: settings.optional(),
          documentId: id.optional(),
        })
        .refine((v) => v.authorId || ((v.provider || v.baseUrl) && v.model), {
          message: 'Give an authorId, or a provider (or baseUrl) and a model.',
        }),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      yield* ctx.app.llm.generate(input, signal);
    }),
});
