/** Data I/O that loses nothing: messy CSV/JSONL/JSON/Parquet in, atomic CSV/JSONL/Parquet out. */
export {
  type AtomicFile,
  checkOutputPaths,
  type FileDigest,
  openAtomic,
  writeAtomic,
  writeLinesAtomic,
  writeTextAtomic,
} from './atomic.js';
export type { StoredType } from './cell-text.js';
export { parseCsvText, sniffDelimiter } from './csv-read.js';
export { csvField, csvHeaderLine, csvLine, jsonlLine } from './csv-write.js';
export { formatFromPath, type OutputFormat } from './format.js';
export { parseJsonArrayText, parseJsonLinesText } from './json-read.js';
export { NA_TOKENS, type NaOptions, type NaTokenUse, specNaValues } from './na-values.js';
export { openParquet, readDuckdbTables } from './parquet.js';
export type { ColumnKind, ParquetScratch, ParquetSink } from './parquet-write.js';
export { readTable } from './read-table.js';
export { isDirectory, readTableSet } from './read-table-set.js';
export { type RawTable, type ReadOptions, tableStem, toRecords } from './table.js';
export { writeTable } from './write-table.js';
