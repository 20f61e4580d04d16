// The registry reachable here does not serve every platform build of packages with per-platform
// optional dependencies (@biomejs/cli-*, @duckdb/node-bindings-*), so npm leaves them out of the
// lock file and `npm ci` then refuses the lock as out of sync. This records each missing optional
// package with its os/cpu (and libc) constraints, so npm ci skips it on other platforms without
// fetching anything. Run after changing dependencies: node .ci/fill-lock.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const pkgs = lock.packages;
let added = 0;
for (const [key, entry] of Object.entries(pkgs)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const where = `node_modules/${name}`;
    if (pkgs[where]) continue;
    const m = /-(android|darwin|linux|win32|freebsd|openbsd|sunos|aix)-(arm64|x64|ia32|arm|ppc64|s390x|riscv64)(-(musl|gnu))?$/.exec(name);
    if (!m) continue;
    pkgs[where] = {
      version: version.replace(/^[\^~]/, ''),
      cpu: [m[2]],
      ...(entry.dev ? { dev: true } : {}),
      ...(m[4] ? { libc: [m[4]] } : {}),
      optional: true,
      os: [m[1]],
    };
    added++;
    void key;
  }
}
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform-specific optional packages to package-lock.json`);
