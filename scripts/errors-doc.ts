/**
 * Rewrites the error-code table in docs/errors.md from src/error-codes.ts
 * (`npm run docs:errors`; `npm run docs:errors -- --check` fails when the file is out of date).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withErrorCodesTable } from '../src/error-codes.js';

const path = new URL('../docs/errors.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withErrorCodesTable(before);
if (process.argv.includes('--check')) {
  if (after !== before) {
    process.stderr.write('docs/errors.md is out of date: run npm run docs:errors\n');
    process.exit(1);
  }
} else if (after !== before) {
  writeFileSync(path, after);
  process.stdout.write('docs/errors.md updated\n');
}
