/** One forward-only schema step. `version` is unique and strictly increasing across all migrations. */
export interface Migration {
  version: number;
  name: string;
  /** SQL run inside one transaction together with the bump of `PRAGMA user_version`. */
  up: string;
}
