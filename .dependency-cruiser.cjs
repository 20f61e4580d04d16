/**
 * Dependency rules for src/ (`npm run check:deps`, run by CI before the tests).
 *
 * Folders are layered; an import may only point to a LOWER layer. Top to bottom:
 *
 *   cli
 *   report  sample  fit  text         the verbs (peers: none imports another)
 *   evaluate                          the judge (report renders it; it renders nothing)
 *   coverage                          plans, exact conditioning, tails, covering arrays
 *   model                             compiling a table: DAG, mechanisms, rules, block kernel
 *   spec  ml  data                    spec format and parsing; learning kernels (GBDT, logistic, kNN);
 *                                     type inference of real columns
 *   random  expr  io                  streams and laws; expressions; table readers/writers and
 *                                     atomic files
 *   errors.ts                         StrataError, imported by everyone
 *   error-codes.ts                    the catalogue of error codes (data), imports nothing
 *
 * Why `spec ml data` sit above `random expr io`: spec checks expressions (spec → expr), ml draws
 * from seeded streams (ml → random), and type inference reads cells as the readers do (data → io:
 * io/cell-text.ts is the one definition of a number and a date, which the readers' missing-token
 * rule needs too); the three below import only errors.ts. Folders in the same
 * layer must not import each other either, so no two folders can ever form a cycle. A folder that
 * needs a peer moves down a layer here, deliberately, with the reason in this comment.
 *
 * src/index.ts (the public API) may import anything; nothing in src/ imports it.
 *
 * Test code may import upward: `*.test.ts` files, `testing/` folders, `fixtures.ts` and
 * `test-helpers.ts` are integration tests and their helpers (e.g. a model test generates rows with
 * sample/, a coverage test evaluates them). Production code must never import test code (it does
 * not ship: tsconfig.build.json leaves it out). File-level cycles are forbidden everywhere,
 * tests included.
 */

/** Layers, top first. A folder name, or a file directly under src/ (with its extension). */
const LAYERS = [
  ['cli'],
  ['report', 'sample', 'fit', 'text'],
  ['evaluate'],
  ['coverage'],
  ['model'],
  ['spec', 'ml', 'data'],
  ['random', 'expr', 'io'],
  ['errors.ts'],
  ['error-codes.ts'],
];

const TEST_CODE = '(\\.test\\.ts$|/testing/|/fixtures\\.ts$|/test-helpers\\.ts$)';
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Path pattern of a layer member: a folder's files, or the one top-level file. */
const member = (m) => (m.endsWith('.ts') ? `^src/${esc(m)}$` : `^src/${esc(m)}/`);
const anyOf = (ms) => ms.map(member).join('|');
const known = LAYERS.flat();

const layerRules = LAYERS.flatMap((layer, i) =>
  layer.map((m) => {
    const above = LAYERS.slice(0, i).flat();
    const peers = layer.filter((p) => p !== m);
    const banned = [...above, ...peers];
    return {
      name: `layer:${m}`,
      severity: 'error',
      comment:
        `${m} may import only lower layers (see the layer list at the top of .dependency-cruiser.cjs); ` +
        `not ${banned.join(', ')}.`,
      from: { path: member(m), pathNot: TEST_CODE },
      to: { path: banned.length ? anyOf(banned) : '^$', pathNot: '^src/index\\.ts$' },
    };
  }),
).filter((r) => r.to.path !== '^$');

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A file-level import cycle (tests included). Break it by moving the shared part down a layer.',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'cli-loads-the-library-lazily',
      severity: 'error',
      comment:
        'A CLI module imports the library with `await import()` inside its action (type imports are free), so ' +
        '`strata --version` and `--help` load only commander (bench/startup.bench.mjs measures it).',
      from: { path: '^src/cli/', pathNot: TEST_CODE },
      to: { path: '^src/(?!cli/|errors\\.ts$)', dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'no-import-of-index',
      severity: 'error',
      comment: 'src/index.ts is the public API for users; code inside src/ imports the module it needs.',
      from: { path: '^src/', pathNot: `^src/index\\.ts$|${TEST_CODE}` },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      comment: 'Test code (fixtures, testing/, test helpers) does not ship; production code cannot import it.',
      from: { path: '^src/', pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'folder-has-a-layer',
      severity: 'error',
      comment: 'Every folder of src/ has a place in LAYERS in .dependency-cruiser.cjs: add the new one there.',
      from: { path: '^src/', pathNot: `^src/index\\.ts$|${anyOf(known)}|${TEST_CODE}` },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve to a file.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
