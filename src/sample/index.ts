export { BLOCK_ROWS, type Block, sampleBlock } from '../model/block.js';
export { type Cell, outputValue } from './format.js';
export {
  type GenerateOptions,
  type GenerateResult,
  generateRows,
  generateToFile,
  MAX_ROWS,
  resolveTable,
} from './generate.js';
