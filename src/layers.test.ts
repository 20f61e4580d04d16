/**
 * The dependency check (`npm run check:deps`, .dependency-cruiser.cjs) catches what it is for: a
 * small tree is checked with the project's own config, clean and then with one planted fault at a
 * time. (The real tree is checked by CI itself, before the tests.)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('..', import.meta.url));
const depcruise = join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

/** A tree that keeps every rule: each file imports one layer further down. */
const CLEAN: Record<string, string> = {
  'src/errors.ts': 'export const E = 1;\n',
  'src/random/stream.ts': "import { E } from '../errors.js';\nexport const R = E;\n",
  'src/expr/index.ts': "import { E } from '../errors.js';\nexport const X = E;\n",
  'src/spec/parse.ts': "import { X } from '../expr/index.js';\nexport const S = X;\n",
  'src/model/compile.ts':
    "import { R } from '../random/stream.js';\nimport { S } from '../spec/parse.js';\nexport const M = R + S;\n",
  'src/coverage/plan.ts': "import { M } from '../model/compile.js';\nexport const C = M;\n",
  'src/evaluate/index.ts': "import { C } from '../coverage/plan.js';\nexport const V = C;\n",
  'src/sample/generate.ts': "import { C } from '../coverage/plan.js';\nexport const G = C;\n",
  'src/sample/fixtures.ts': "import { G } from './generate.js';\nexport const F = G;\n",
  'src/cli/main.ts': "export async function run() { return (await import('../sample/generate.js')).G; }\n",
  'src/index.ts': "export { G } from './sample/generate.js';\nexport { V } from './evaluate/index.js';\n",
  // An integration test may import upward: a model test that generates rows with sample/.
  'src/model/compile.test.ts': "import { G } from '../sample/generate.js';\nexport const T = G;\n",
};

/**
 * Runs the command CI runs (`npm run check:deps`) on the tree with `changes` applied; returns its
 * violations as "rule: from → to" (a cycle as "no-circular: a file of it →"), sorted.
 */
function check(changes: Record<string, string> = {}): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'strata-layers-'));
  try {
    for (const [path, text] of Object.entries({ ...CLEAN, ...changes })) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    copyFileSync(join(repo, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
    );
    const r = spawnSync(
      process.execPath,
      [depcruise, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
      { cwd: dir, encoding: 'utf8', timeout: 120_000 },
    );
    const found = [...r.stdout.matchAll(/^\s*error (\S+): (\S+) →(?: (\S+))?\s*$/gm)].map((m) =>
      `${m[1]}: ${m[2]} → ${m[3] ?? ''}`.trim(),
    );
    // CI fails exactly when something is found: the exit code is the number of violations.
    expect(r.status, r.stdout + r.stderr).toBe(found.length);
    if (!found.length)
      expect(r.stdout).toContain(`no dependency violations found (${Object.keys(CLEAN).length} modules`);
    return found.sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('dependency rules', () => {
  it('a tree that keeps the layer order passes (upward imports from tests allowed)', () => {
    expect(check()).toEqual([]);
  });

  it('fails on each planted fault, naming the rule and the import', () => {
    const found = check({
      // A backward import between folders: model must not import coverage.
      'src/model/dag.ts': "import { C } from '../coverage/plan.js';\nexport const D = C;\n",
      // Peers in one layer: sample and fit are both verbs, neither imports the other.
      'src/fit/fit.ts': "import { G } from '../sample/generate.js';\nexport const F = G;\n",
      // A file cycle.
      'src/expr/a.ts': "import { B } from './b.js';\nexport const A = 1;\nexport const AB = () => B;\n",
      'src/expr/b.ts': "import { A } from './a.js';\nexport const B = A;\n",
      // Production code importing test code, and the CLI importing the library eagerly.
      'src/cli/main.ts': "import { F } from '../sample/fixtures.js';\nexport const run = () => F;\n",
      // A folder with no place in the layer order.
      'src/unplaced/store.ts': "import { E } from '../errors.js';\nexport const L = E;\n",
      // Library code importing the package entry.
      'src/report/files.ts': "import * as api from '../index.js';\nexport const all = () => api;\n",
    });
    const cycles = found.filter((v) => v.startsWith('no-circular: '));
    expect(cycles.length).toBeGreaterThan(0);
    expect(cycles.every((v) => /^no-circular: src\/expr\/[ab]\.ts →$/.test(v))).toBe(true);
    expect(found.filter((v) => !cycles.includes(v))).toEqual([
      'cli-loads-the-library-lazily: src/cli/main.ts → src/sample/fixtures.ts',
      'folder-has-a-layer: src/unplaced/store.ts → src/errors.ts',
      'layer:fit: src/fit/fit.ts → src/sample/generate.ts',
      'layer:model: src/model/dag.ts → src/coverage/plan.ts',
      'no-import-of-index: src/report/files.ts → src/index.ts',
      'no-test-code-in-production: src/cli/main.ts → src/sample/fixtures.ts',
    ]);
  });
});
