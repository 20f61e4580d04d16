import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { buildProgram } from './main.js';
import { runMain } from './testing/run-main.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-cli-main-'));

function allCommands(c: Command): Command[] {
  return [c, ...c.commands.flatMap(allCommands)];
}

const quietly = runMain;

afterEach(() => {
  process.exitCode = undefined;
});

describe('output flags', () => {
  it('every command that writes one output path spells it -o, --out; --output is a hidden alias', () => {
    const withOut = allCommands(buildProgram()).filter((c) =>
      c.options.some((o) => o.long === '--out' || o.long === '--output'),
    );
    expect(withOut.map((c) => c.name()).sort()).toEqual([
      'augment',
      'dedup',
      'demo',
      'dossier',
      'fit',
      'generate',
      'generate',
      'keygen',
      'redteam',
      'refine',
    ]);
    for (const c of withOut) {
      const out = c.options.find((o) => o.long === '--out');
      expect(out?.short, c.name()).toBe('-o');
      const old = c.options.find((o) => o.long === '--output');
      expect(old?.hidden, c.name()).toBe(true);
      expect(c.helpInformation()).not.toContain('--output');
    }
  });

  it('the old --output spelling still writes where it says (text dedup)', async () => {
    const input = join(dir, 'in.jsonl');
    const out = join(dir, 'kept.jsonl');
    writeFileSync(
      input,
      ['alpha beta gamma', 'alpha beta gamma', 'delta']
        .map((t, i) => JSON.stringify({ id: i, text: t }))
        .join('\n'),
    );
    const r = await quietly([
      'text',
      'dedup',
      input,
      '--output',
      out,
      '--text-field',
      'text',
      '--no-embedding',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^kept 2 of 3/);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('a missing required -o names the new spelling', async () => {
    const r = await quietly(['text', 'dedup', join(dir, 'in.jsonl'), '--text-field', 'text']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("'-o, --out <file>'");
  });
});

/**
 * Which modules a command loads, seen by a module-resolution hook in a child process (the CLI runs
 * from src/ through tsx). Start-up speed itself is measured by bench/startup.bench.mjs; this checks
 * the cause: a command loads the library, and a heavy package, only when it needs them.
 */
function modulesLoaded(args: string[]): string[] {
  const log = join(dir, `modules-${Math.random().toString(36).slice(2)}.txt`);
  const hook = `import { appendFileSync } from 'node:fs';
  export async function resolve(s, c, next) {
    const r = await next(s, c);
    appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
    return r;
  }`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
  const mainUrl = pathToFileURL(join(import.meta.dirname, 'main.ts')).href;
  const script = `const { main } = await import(${JSON.stringify(mainUrl)}); process.exitCode = await main(${JSON.stringify(args)});`;
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      `data:text/javascript,${encodeURIComponent(register)}`,
      '--input-type=module',
      '-e',
      script,
    ],
    { encoding: 'utf8', cwd: join(import.meta.dirname, '../..'), timeout: 120_000 },
  );
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(log, 'utf8').trim().split('\n');
}
const srcFolders = (urls: string[]) =>
  [...new Set(urls.flatMap((u) => /\/src\/([^/]+)\//.exec(u)?.[1] ?? []))].sort();
const packages = (urls: string[]) =>
  [...new Set(urls.flatMap((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1] ?? []))].sort();

describe('start-up loads only what the command needs', () => {
  it('--version and generate --help load the CLI shell and commander, not the library', () => {
    for (const args of [['--version'], ['generate', '--help']]) {
      const urls = modulesLoaded(args);
      expect(srcFolders(urls), args.join(' ')).toEqual(['cli']);
      expect(
        packages(urls).filter((p) => p !== 'tsx'),
        args.join(' '),
      ).toEqual(['commander']);
    }
  });

  it('generating CSV loads neither DuckDB nor vega', () => {
    const spec = join(dir, 'spec.yaml');
    writeFileSync(
      spec,
      'strata: 1\ntables:\n  t:\n    rows: 5\n    columns:\n      a: { type: integer, dist: { uniform: { min: 1, max: 9 } } }\n',
    );
    const pkgs = packages(modulesLoaded(['generate', spec, '-o', join(dir, 'out.csv')]));
    expect(pkgs).toContain('zod');
    for (const heavy of ['@duckdb/node-api', 'vega', 'vega-lite', 'ml-matrix'])
      expect(pkgs, heavy).not.toContain(heavy);
  });
});
