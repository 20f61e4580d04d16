/**
 * Files by content: streaming SHA-256 (constant memory, any size) and the path a ledger records,
 * relative to the run's working directory so a project folder can move and still verify.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { StrataError } from '../errors.js';
import type { FileRecord } from './entry.js';

/** SHA-256 (hex) and size of a file, read once in 1 MiB chunks. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StrataError(
      'ledger.read_file',
      `cannot read ${path} to hash it${code ? ` (${code})` : ''}`,
      { file: path },
      code === 'ENOENT' ? 'check the path' : 'check the file\u2019s permissions',
    );
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** The path to record: relative to `cwd` when inside it, else absolute. */
export function recordedPath(path: string, cwd: string): string {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : abs;
}

/** A file record, hashing the file unless its digest is already known (a writer hashed it). */
export async function fileRecord(
  role: string,
  path: string,
  cwd: string,
  known?: { sha256?: string; bytes?: number; rows?: number; index?: [number, number][] },
): Promise<FileRecord> {
  const abs = resolve(cwd, path);
  let sha256 = known?.sha256;
  let bytes = known?.bytes;
  if (sha256 === undefined || bytes === undefined) {
    const h = await hashFile(abs);
    sha256 = h.sha256;
    bytes = h.bytes;
  }
  return {
    role,
    path: recordedPath(abs, cwd),
    sha256,
    bytes,
    ...(known?.rows !== undefined ? { rows: known.rows } : {}),
    ...(known?.index?.length ? { index: known.index } : {}),
  };
}

/** Whether a path exists as a file. */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
