// The package's public surface — what src/index.ts exports and every type those exports reach — as
// an API Extractor report checked in at etc/strata.api.md.
//   node scripts/api-report.mjs            check (CI: `npm run check:api`): exit 1 when the surface
//                                          differs from etc/strata.api.md, with the diff
//   node scripts/api-report.mjs --update   rewrite etc/strata.api.md (`npm run api:update`)
// Declarations are emitted from src/ into temp/api-dts first, so a stale dist/ cannot hide a change.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import apiExtractor from '@microsoft/api-extractor';

const { Extractor, ExtractorConfig } = apiExtractor;
const root = fileURLToPath(new URL('..', import.meta.url));
const update = process.argv.includes('--update');
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status;

rmSync(`${root}temp/api-dts`, { recursive: true, force: true });
mkdirSync(`${root}etc`, { recursive: true });
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
const emitted = run(process.execPath, [
  tsc,
  '-p',
  'tsconfig.build.json',
  '--emitDeclarationOnly',
  '--declarationMap',
  'false',
  '--sourceMap',
  'false',
  '--outDir',
  'temp/api-dts',
]);
if (emitted !== 0) process.exit(1);

const config = ExtractorConfig.loadFileAndPrepare(`${root}api-extractor.json`);
const result = Extractor.invoke(config, { localBuild: update });
if (!result.succeeded && !(result.apiReportChanged && result.errorCount === 0)) {
  console.error(`api-report: API Extractor reported ${result.errorCount} error(s) (above).`);
  process.exit(1);
}
if (result.apiReportChanged && !update) {
  run('git', ['--no-pager', 'diff', '--no-index', '--', 'etc/strata.api.md', 'temp/strata.api.md']);
  console.error(
    '\napi-report: the public API differs from etc/strata.api.md (diff above).\n' +
      'If the change is deliberate, run `npm run api:update` and commit etc/strata.api.md.',
  );
  process.exit(1);
}
console.log(
  update ? 'api-report: wrote etc/strata.api.md' : 'api-report: public API matches etc/strata.api.md',
);
