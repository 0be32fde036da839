import { libraryCurationProcedures } from './library-curation';
import { libraryIndexProcedures } from './library-index';
import { router } from './trpc';

/** `library.*`: the index (ingestion, retrieval) and curation (log, personalization). */
export const libraryRouter = router({ ...libraryIndexProcedures, ...libraryCurationProcedures });
