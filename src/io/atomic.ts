/**
 * Atomic output files: bytes go to a temp file beside the target and only commit() renames it onto
 * the target. An exception (abort), a crash of the JS side (exit) or SIGINT/SIGTERM leave no target
 * and no temp file behind.
 */
import { accessSync, constants, createWriteStream, statSync, type WriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { StrataError } from '../errors.js';
import { cleanStaleTemps, registerTemp, tempPathBeside, unregisterTemp } from './temp-registry.js';

export interface AtomicFile {
  readonly path: string;
  readonly tempPath: string;
  /** Resolves when the chunk is accepted; waits for 'drain' when the stream buffer is full. */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Flush, fsync and rename onto the target. */
  commit(): Promise<void>;
  /** Discard everything written; the target is untouched. */
  abort(): Promise<void>;
}

/** Throws a StrataError unless `path` can be created: its directory exists and is writable. */
export function checkWritableTarget(path: string): void {
  const dir = dirname(resolve(path));
  let st: ReturnType<typeof statSync> | undefined;
  try {
    st = statSync(dir);
  } catch {
    throw new StrataError(
      'io.output_dir',
      `the output directory ${dir} does not exist`,
      { file: path },
      `create it first: mkdir -p ${dir}`,
    );
  }
  if (!st.isDirectory()) {
    throw new StrataError(
      'io.output_dir',
      `${dir} is not a directory`,
      { file: path },
      'choose an output path inside a directory',
    );
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new StrataError(
      'io.output_not_writable',
      `the output directory ${dir} is not writable`,
      { file: path },
      'choose another output directory or fix its permissions',
    );
  }
  try {
    if (statSync(path).isDirectory()) {
      throw new StrataError(
        'io.output_is_dir',
        `the output path is a directory`,
        { file: path },
        'give a file name, e.g. out/data.csv',
      );
    }
  } catch (e) {
    if (e instanceof StrataError) throw e;
  }
}

/** The same file: the same resolved path, or (both existing) the same device and inode. */
function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/**
 * Check a command's output paths before any work: each can be created (checkWritableTarget), none
 * is one of the inputs (it would be replaced by what was computed from it) and none is named twice.
 */
export function checkOutputPaths(
  outputs: readonly (string | undefined)[],
  inputs: readonly (string | undefined)[],
): void {
  const outs = outputs.filter((o): o is string => o !== undefined);
  outs.forEach((out, i) => {
    checkWritableTarget(out);
    for (const input of inputs) {
      if (input !== undefined && sameFile(out, input)) {
        throw new StrataError(
          'io.output_is_input',
          `the output is the input file ${input}`,
          { file: out },
          'write to another file: the input would be replaced',
        );
      }
    }
    for (const other of outs.slice(0, i)) {
      if (sameFile(out, other)) {
        throw new StrataError(
          'io.output_twice',
          `this file is given as two outputs (also as ${other})`,
          { file: out },
          'give each output its own file',
        );
      }
    }
  });
}

const DISK_FULL = /ENOSPC|EDQUOT|No space left on device|Disk quota exceeded/i;

/**
 * A failure to write `path` as a StrataError: `io.disk_full` when the disk (or quota) is full,
 * `io.write` for any other I/O failure (both environment errors: the CLI exits 1). Works for Node's
 * errno errors and DuckDB's messages alike.
 */
export function writeFailure(path: string, e: unknown): StrataError {
  if (e instanceof StrataError) return e;
  const err = e as NodeJS.ErrnoException;
  const first = String(err?.message ?? e).split('\n')[0];
  if (DISK_FULL.test(err?.code ?? '') || DISK_FULL.test(first)) {
    return new StrataError(
      'io.disk_full',
      `the disk is full: could not write (${first})`,
      { file: path },
      'free some disk space (or write to another disk) and run again; nothing was written',
    );
  }
  return new StrataError(
    'io.write',
    `could not write: ${`${err?.code ?? ''} ${first}`.trim()}`,
    { file: path },
    'check the disk and permissions of the output directory; nothing was written',
  );
}

class AtomicWriteStream implements AtomicFile {
  private done = false;
  private failure: unknown = null;

  constructor(
    readonly path: string,
    readonly tempPath: string,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (e) => {
      this.failure ??= writeFailure(path, e);
    });
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.done) throw new StrataError('io.closed', 'write after commit/abort', { file: this.path });
    if (this.stream.write(chunk)) return;
    await new Promise<void>((res, rej) => {
      const onDrain = (): void => {
        this.stream.off('error', onError);
        res();
      };
      const onError = (e: unknown): void => {
        this.stream.off('drain', onDrain);
        rej(writeFailure(this.path, e));
      };
      this.stream.once('drain', onDrain);
      this.stream.once('error', onError);
    });
  }

  private close(): Promise<void> {
    return new Promise<void>((res, rej) => {
      if (this.stream.closed) return res();
      this.stream.once('close', () => (this.failure ? rej(this.failure) : res()));
      this.stream.end();
    });
  }

  async commit(): Promise<void> {
    if (this.done) throw new StrataError('io.closed', 'commit after commit/abort', { file: this.path });
    this.done = true;
    try {
      if (this.failure) throw this.failure;
      await this.close();
      // fsync before rename: after a power loss the target is either absent or complete.
      const fh = await open(this.tempPath, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(this.tempPath, this.path);
      unregisterTemp(this.tempPath);
    } catch (e) {
      await this.discard();
      throw e instanceof StrataError ? e : writeFailure(this.path, e);
    }
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.discard();
  }

  private async discard(): Promise<void> {
    this.stream.destroy();
    await new Promise<void>((res) => (this.stream.closed ? res() : this.stream.once('close', () => res())));
    await rm(this.tempPath, { force: true });
    unregisterTemp(this.tempPath);
  }
}

/**
 * Open `path` for atomic writing. Errors name the path and the fix (missing / unwritable directory).
 * Stale temp files that killed runs left in its directory are removed first (temp-registry.ts).
 */
export async function openAtomic(path: string): Promise<AtomicFile> {
  checkWritableTarget(path);
  cleanStaleTemps(path);
  const tempPath = tempPathBeside(path);
  registerTemp(tempPath);
  const stream = createWriteStream(tempPath, { flags: 'wx', highWaterMark: 1 << 20 });
  try {
    await new Promise<void>((res, rej) => {
      stream.once('open', () => res());
      stream.once('error', rej);
    });
  } catch (e) {
    unregisterTemp(tempPath);
    throw writeFailure(path, e);
  }
  return new AtomicWriteStream(path, tempPath, stream);
}

/**
 * Write `path` atomically: `fill` writes through the file, then it is committed. On any error the
 * temp file is removed, nothing appears at `path`, and the error goes up.
 */
export async function writeAtomic(path: string, fill: (file: AtomicFile) => Promise<void>): Promise<void> {
  const file = await openAtomic(path);
  try {
    await fill(file);
    await file.commit();
  } catch (e) {
    await file.abort();
    throw e;
  }
}

/** Write text atomically. */
export function writeTextAtomic(path: string, text: string): Promise<void> {
  return writeAtomic(path, (f) => f.write(text));
}

/** Write lines atomically, batched into ~64 KiB writes. */
export function writeLinesAtomic(path: string, lines: Iterable<string>): Promise<void> {
  return writeAtomic(path, async (f) => {
    let buf = '';
    for (const line of lines) {
      buf += line;
      if (buf.length >= 1 << 16) {
        await f.write(buf);
        buf = '';
      }
    }
    if (buf) await f.write(buf);
  });
}
