import { storyDatasetProcedures } from './stories-dataset';
import { storyGenerationProcedures } from './stories-generation';
import { router } from './trpc';

/** `stories.*`: generation (runs, batches, the stored stories) and datasets (export, analysis). */
export const storiesRouter = router({ ...storyGenerationProcedures, ...storyDatasetProcedures });
