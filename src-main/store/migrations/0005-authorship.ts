import type { Migration } from './types';

/**
 * A contribution event can point at the generation that produced its text. Nullable (typed and
 * pasted text has none); deleting a generation row keeps the event and clears the link.
 */
const migration: Migration = {
  version: 5,
  name: 'authorship',
  up: /* sql */ `
    ALTER TABLE contribution_events
      ADD COLUMN generation_id INTEGER REFERENCES generations (id) ON DELETE SET NULL;
    -- Lets ON DELETE SET NULL find the linked events without scanning the whole log.
    CREATE INDEX contribution_events_generation ON contribution_events (generation_id)
      WHERE generation_id IS NOT NULL;
  `,
};
export default migration;
