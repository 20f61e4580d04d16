// `npm run check:pack` (CI): what `npm pack` would publish holds no test code (tests, fixtures,
// testing/ helpers), no file the sources no longer produce (a stale dist/), and everything that
// package.json promises (`files`, `bin`, `main`, `types`, `exports`). Run after `npm run build`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
  cwd: root,
  encoding: 'utf8',
});
if (r.status !== 0) {
  console.error(r.stderr);
  process.exit(1);
}
const packed = JSON.parse(r.stdout)[0].files.map((f) => f.path);
const pkg = JSON.parse(
  spawnSync('node', ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: root, encoding: 'utf8' })
    .stdout,
);

const problems = [];
const TEST_CODE = /(\.test\.|\/testing\/|(^|\/)fixtures\.|(^|\/)test-helpers\.)/;
for (const p of packed) {
  if (TEST_CODE.test(p)) problems.push(`${p}: test code would ship (exclude it in tsconfig.build.json)`);
  const m = /^dist\/(.+?)(\.d\.ts|\.js|\.js\.map|\.d\.ts\.map)$/.exec(p);
  if (m && !existsSync(`${root}src/${m[1]}.ts`))
    problems.push(
      `${p}: no src/${m[1]}.ts produces it (stale dist/: npm run build starts from an empty dist/)`,
    );
}
for (const entry of pkg.files ?? [])
  if (!packed.some((p) => p === entry || p.startsWith(`${entry}/`)))
    problems.push(`package.json "files" lists "${entry}", which holds nothing to publish`);
const promised = [
  ...Object.values(pkg.bin ?? {}),
  pkg.main,
  pkg.types,
  ...Object.values(pkg.exports ?? {}).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e))),
].filter(Boolean);
for (const p of promised) {
  const rel = p.replace(/^\.\//, '');
  if (!packed.includes(rel)) problems.push(`package.json points at ${p}, which would not be published`);
}
if (problems.length) {
  console.error(
    `check-pack: ${problems.length} problem(s) in what npm would publish:\n  ${problems.join('\n  ')}`,
  );
  process.exit(1);
}
console.log(`check-pack: ${packed.length} files, no test code, nothing stale, every promised entry present`);
