/**
 * The models a server holds: loaded from files at start (never from the network), one sampler per
 * table, looked up by the spec's `name`. `reload()` (SIGHUP) loads every file anew and swaps the
 * whole set at once only if all of them load; a bad file keeps the old set and says why. Requests
 * in flight keep the set they started with.
 */
import { basename, extname } from 'node:path';
import { StrataError } from '../errors.js';
import { type BlockSampler, createBlockSampler, type SamplerOptions } from '../sample/sampler.js';
import { loadSpec } from '../spec/parse.js';

/** Model names are URL path segments. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface ServedModel {
  name: string;
  file: string;
  hash: string;
  version: number;
  /** Table name → sampler (Map: table names come from the spec, callers' text only looks them up). */
  tables: ReadonlyMap<string, BlockSampler>;
  /** The table used when a request names none (only when the model has one table). */
  defaultTable?: string;
}

export type ModelSet = ReadonlyMap<string, ServedModel>;

async function loadOne(
  file: string,
  previous: ServedModel | undefined,
  opts: SamplerOptions,
): Promise<ServedModel> {
  const loaded = await loadSpec(file);
  const name = loaded.spec.name ?? basename(file, extname(file));
  if (!NAME.test(name))
    throw new StrataError(
      'serve.bad_model_name',
      `model name "${name.slice(0, 80)}" cannot be a URL segment`,
      { file, path: 'name' },
      'use letters, digits, ".", "_" and "-" (at most 64), starting with a letter or digit',
    );
  if (previous && previous.hash === loaded.hash) return previous;
  const tables = new Map<string, BlockSampler>();
  for (const table of Object.keys(loaded.spec.tables))
    tables.set(table, createBlockSampler(loaded.spec, { ...opts, table }));
  return {
    name,
    file,
    hash: loaded.hash,
    version: previous ? previous.version + 1 : 1,
    tables,
    defaultTable: tables.size === 1 ? [...tables.keys()][0] : undefined,
  };
}

/** Load `files` into a model set; `previous` keeps unchanged models (same hash) as they are. */
export async function loadModels(
  files: readonly string[],
  previous: ModelSet = new Map(),
  opts: SamplerOptions = {},
): Promise<ModelSet> {
  if (!files.length)
    throw new StrataError(
      'serve.no_models',
      'no model file given',
      {},
      'strata serve MODEL.yaml [MORE.yaml…]',
    );
  const out = new Map<string, ServedModel>();
  const byFile = new Map([...previous.values()].map((m) => [m.file, m] as [string, ServedModel]));
  for (const file of files) {
    const m = await loadOne(file, byFile.get(file), opts);
    const clash = out.get(m.name);
    if (clash)
      throw new StrataError(
        'serve.duplicate_model',
        `two files define model "${m.name}" (${clash.file} and ${file})`,
        { file, path: 'name' },
        'give each spec its own name:',
      );
    out.set(m.name, m);
  }
  return out;
}

/** The current model set, swapped whole by `reload`. */
export class ModelRegistry {
  private current: ModelSet;
  private reloading: Promise<ReloadResult> | undefined;

  constructor(
    readonly files: readonly string[],
    initial: ModelSet,
    private readonly opts: SamplerOptions = {},
  ) {
    this.current = initial;
  }

  get models(): ModelSet {
    return this.current;
  }

  /** Reload every file; the set changes only if all load. Concurrent calls share one reload. */
  reload(): Promise<ReloadResult> {
    this.reloading ??= (async () => {
      try {
        const next = await loadModels(this.files, this.current, this.opts);
        const changed = [...next.values()]
          .filter((m) => this.current.get(m.name)?.hash !== m.hash)
          .map((m) => m.name);
        this.current = next;
        return { ok: true as const, changed };
      } catch (e) {
        return { ok: false as const, error: e };
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }
}

export type ReloadResult = { ok: true; changed: string[] } | { ok: false; error: unknown };
