import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isEnvironmentError } from '../errors.js';
import { checkOutputPaths, openAtomic, writeFailure } from './atomic.js';
import { liveTemps } from './temp-registry.js';

const ATOMIC_URL = pathToFileURL(resolve(import.meta.dirname, 'atomic.ts')).href;

/** A child that writes slowly through openAtomic; `mode` decides how it ends. */
const CHILD = `
import { openAtomic } from ${JSON.stringify(ATOMIC_URL)};
const [target, mode] = process.argv.slice(2);
const out = await openAtomic(target);
await out.write('header\\n');
if (mode === 'commit') {
  for (let i = 0; i < 3; i++) await out.write('row ' + i + '\\n');
  await out.commit();
  process.exit(0);
}
if (mode === 'throw') {
  await out.write('row 0\\n');
  setTimeout(() => { throw new Error('boom in the middle of writing'); }, 20);
} else {
  console.log('READY ' + out.tempPath);
  let i = 0;
  setInterval(() => { void out.write('row ' + i++ + '\\n'); }, 10);
}
`;

function runChild(
  dir: string,
  mode: string,
): {
  child: ChildProcess;
  ready: Promise<string>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
} {
  const script = join(dir, 'child.mts');
  writeFileSync(script, CHILD);
  const child = spawn(process.execPath, ['--import', 'tsx', script, join(dir, 'out.csv'), mode], {
    cwd: resolve(import.meta.dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const ready = new Promise<string>((res, rej) => {
    let buf = '';
    child.stdout?.on('data', (d) => {
      buf += String(d);
      const m = /READY (\S+)/.exec(buf);
      if (m) res(m[1]);
    });
    child.on('exit', () => rej(new Error(`child exited before READY: ${stderr}`)));
  });
  ready.catch(() => {});
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((res) =>
    child.on('exit', (code, signal) => res({ code, signal, stderr })),
  );
  return { child, ready, done };
}

const leftovers = (dir: string): string[] => readdirSync(dir).filter((f) => f !== 'child.mts');

describe('openAtomic in a child process', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} mid-write leaves neither the target nor a temp file, and the child dies of the signal`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'strata-io-atomic-'));
      const { child, ready, done } = runChild(dir, 'slow');
      const temp = await ready;
      expect(temp).toMatch(new RegExp(`\\.out\\.csv\\.strata-tmp-${child.pid}-\\d+$`));
      expect(existsSync(temp)).toBe(true);
      child.kill(signal);
      const { code, signal: got } = await done;
      expect(got).toBe(signal); // default behaviour re-raised: a shell reports 128 + signo (143 / 130)
      expect(code).toBeNull();
      expect(leftovers(dir)).toEqual([]);
    });
  }

  it('SIGKILL leaves the temp file (no handler runs); the next write removes it, and only it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-io-atomic-'));
    const { child, ready, done } = runChild(dir, 'slow');
    const temp = await ready;
    child.kill('SIGKILL');
    await done;
    expect(existsSync(temp)).toBe(true);
    // Temps of live processes (this one; pid 1) and files that merely look alike are kept.
    const mine = join(dir, `.other.csv.strata-tmp-${process.pid}-999`);
    const init = join(dir, '.other.csv.strata-tmp-1-1');
    const lookalike = join(dir, 'notes.strata-tmp-123-1');
    for (const f of [mine, init, lookalike]) writeFileSync(f, 'x');
    // The Parquet writer's scratch database and spill directory of the killed run go too.
    writeFileSync(`${temp}.duckdb`, 'x');
    mkdirSync(`${temp}.spill`);
    const out = await openAtomic(join(dir, 'again.csv'));
    await out.write('a\n');
    await out.commit();
    expect(leftovers(dir).sort()).toEqual(
      [
        'again.csv',
        'notes.strata-tmp-123-1',
        '.other.csv.strata-tmp-1-1',
        `.other.csv.strata-tmp-${process.pid}-999`,
      ].sort(),
    );
  });

  it('an uncaught exception mid-write leaves nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-io-atomic-'));
    const { done } = runChild(dir, 'throw');
    const { code, stderr } = await done;
    expect(code).toBe(1);
    expect(stderr).toContain('boom in the middle of writing');
    expect(leftovers(dir)).toEqual([]);
  });

  it('commit makes the complete target appear and removes the temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-io-atomic-'));
    const { done } = runChild(dir, 'commit');
    const { code, stderr } = await done;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(leftovers(dir)).toEqual(['out.csv']);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('header\nrow 0\nrow 1\nrow 2\n');
  });
});

describe('openAtomic in process', () => {
  it('writes to a hidden temp beside the target; the target appears only on commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-io-atomic-'));
    const target = join(dir, 'data.csv');
    const out = await openAtomic(target);
    expect(out.path).toBe(target);
    expect(out.tempPath).toMatch(new RegExp(`^${dir}/\\.data\\.csv\\.strata-tmp-${process.pid}-\\d+$`));
    expect(liveTemps()).toContain(out.tempPath);
    // many large chunks: every write resolves only once the stream can take more (backpressure)
    const chunk = 'x'.repeat(256 * 1024);
    for (let i = 0; i < 40; i++) await out.write(chunk);
    await out.write(new TextEncoder().encode('\nend\n'));
    expect(existsSync(target)).toBe(false);
    await out.commit();
    expect(readFileSync(target, 'utf8').length).toBe(40 * chunk.length + 5);
    expect(readdirSync(dir)).toEqual(['data.csv']);
    expect(liveTemps()).not.toContain(out.tempPath);
    await expect(out.write('more')).rejects.toMatchObject({ code: 'io.closed' });
  });

  it('replaces an existing target only on commit, and abort leaves it untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-io-atomic-'));
    const target = join(dir, 'data.csv');
    writeFileSync(target, 'old\n');
    const a = await openAtomic(target);
    await a.write('new\n');
    await a.abort();
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['data.csv']);
    const b = await openAtomic(target);
    await b.write('new\n');
    await b.commit();
    expect(readFileSync(target, 'utf8')).toBe('new\n');
  });

  it('names a missing directory and how to create it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-io-atomic-'));
    const target = join(dir, 'no', 'such', 'out.csv');
    await expect(openAtomic(target)).rejects.toMatchObject({
      code: 'io.output_dir',
      place: { file: target },
      hint: `create it first: mkdir -p ${join(dir, 'no', 'such')}`,
    });
  });

  it('refuses a directory as the target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-io-atomic-'));
    mkdirSync(join(dir, 'sub'));
    await expect(openAtomic(join(dir, 'sub'))).rejects.toMatchObject({ code: 'io.output_is_dir' });
  });

  it.skipIf(process.getuid?.() === 0)('names an unwritable directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-io-atomic-'));
    chmodSync(dir, 0o500);
    try {
      await expect(openAtomic(join(dir, 'out.csv'))).rejects.toMatchObject({
        code: 'io.output_not_writable',
      });
    } finally {
      chmodSync(dir, 0o700);
    }
  });
});

describe('checkOutputPaths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-io-out-'));
  const input = join(dir, 'in.csv');
  writeFileSync(input, 'a\n1\n');

  it('refuses an output that is an input, by path or through a link', () => {
    expect(() => checkOutputPaths([input], [input])).toThrow(
      expect.objectContaining({ code: 'io.output_is_input' }),
    );
    expect(() => checkOutputPaths([join(dir, '.', 'in.csv')], [input])).toThrow(
      expect.objectContaining({ code: 'io.output_is_input' }),
    );
    linkSync(input, join(dir, 'hard.csv'));
    symlinkSync(input, join(dir, 'soft.csv'));
    for (const alias of ['hard.csv', 'soft.csv'])
      expect(() => checkOutputPaths([join(dir, alias)], [input])).toThrow(
        expect.objectContaining({ code: 'io.output_is_input' }),
      );
  });

  it('refuses one file named as two outputs, and accepts distinct new files', () => {
    const out = join(dir, 'out.json');
    expect(() => checkOutputPaths([out, out], [input])).toThrow(
      expect.objectContaining({ code: 'io.output_twice' }),
    );
    expect(() => checkOutputPaths([out, join(dir, 'out.html'), undefined], [input, undefined])).not.toThrow();
  });
});

describe('writeFailure', () => {
  it('a full disk is io.disk_full and an environment error (exit 1), from Node or DuckDB', () => {
    const node = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const duck = new Error('IO Error: Could not write file "x": No space left on device');
    for (const e of [node, duck]) {
      const err = writeFailure('x.parquet', e);
      expect(err.code).toBe('io.disk_full');
      expect(err.place).toEqual({ file: 'x.parquet' });
      expect(isEnvironmentError(err)).toBe(true);
    }
    const other = writeFailure('x.csv', Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    expect(other.code).toBe('io.write');
    expect(isEnvironmentError(other)).toBe(true);
  });
});
