/** stories.parquet through hyparquet-writer (pure JS; loaded only when an export runs). */
import { LIST_COLUMNS, ROW_COLUMNS, flatRow, type StoryRow } from './story-rows';

const INT_COLUMNS = new Set<string>(['num_authors', 'num_parts', 'words', 'seed']);

export async function storiesParquet(rows: readonly StoryRow[]): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const flat = rows.map(flatRow);
  const buffer = parquetWriteBuffer({
    columnData: ROW_COLUMNS.map((name) => ({
      name,
      data: flat.map((r) => r[name] ?? null),
      type: INT_COLUMNS.has(name) ? ('INT32' as const) : ('STRING' as const),
      nullable: !INT_COLUMNS.has(name) && !LIST_COLUMNS.has(name),
    })),
    kvMetadata: [{ key: 'palimpsest.list_columns', value: JSON.stringify([...LIST_COLUMNS]) }],
    createdBy: 'palimpsest stories export',
  });
  return new Uint8Array(buffer);
}
