/** The I/O edge of plans: read PLAN.yaml, its template set and real log; build the provider. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StrataError } from '../errors.js';
import { nullPrototypes } from '../names.js';
import { parseSeed } from '../random/seed.js';
import { legacyKeyNotices } from '../spec/plan-vocabulary.js';
import { loadYaml } from '../spec/yaml.js';
import { buildPlan, type Plan } from './plan.js';
import { PlanSpec } from './plan-schema.js';
import { ollamaProvider } from './providers/ollama.js';
import { openAiProvider } from './providers/openai.js';
import { type ReplayMode, type ReplayProvider, replayProvider } from './providers/replay.js';
import { parseTemplateSet, type TemplateSet, templateProvider } from './providers/template.js';
import type { TextProvider } from './providers/types.js';
import { readTextRows, type TextRow } from './records.js';
import { exemplarLabeller, keywordLabeller, type Labeller, llmJudgeLabeller } from './verify.js';

/** Receives warnings and deprecation notices (the CLI prints them on stderr). */
export type Notify = (message: string) => void;

/** Library default: a process warning (Node prints it on stderr). */
export const warnProcess: Notify = (message) => process.emitWarning(message, 'StrataWarning');

export interface LoadedPlan {
  path: string;
  spec: PlanSpec;
  plan: Plan;
  real: TextRow[];
  /** Deprecation notices (old plan keys), each with file:line. */
  notices: string[];
}

export interface LoadPlanOptions {
  /** Receives each notice as it is found; default a process warning. */
  onNotice?: Notify;
}

function readYaml(path: string): { value: unknown; lineOf: (p: (string | number)[]) => number | undefined } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new StrataError('text.plan_read', 'cannot read the file', { file: path }, 'check the path');
  }
  const { value, doc } = loadYaml(text, path, 'text.plan_yaml');
  return { value, lineOf: (p) => doc.locate(p)?.line };
}

/** Parse and validate a plan spec from an object; zod errors name the path (and line when known). */
export function parsePlanSpec(
  raw: unknown,
  file?: string,
  lineOf?: (p: (string | number)[]) => number | undefined,
): PlanSpec {
  if (raw !== null && typeof raw === 'object' && 'seed' in raw && raw.seed !== undefined)
    parseSeed(raw.seed, { file, line: lineOf?.(['seed']), path: 'seed' });
  const r = PlanSpec.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue.path.map(String).join('.');
    const message =
      issue.code === 'invalid_union' && path === 'axes'
        ? 'axes must be a map axis → values ({ intent: [a, b] }) or a list of { name, values }'
        : issue.message;
    throw new StrataError(
      'text.plan_invalid',
      message,
      { file, line: lineOf?.(issue.path as (string | number)[]), path },
      'see docs/text.md for the plan format',
    );
  }
  return nullPrototypes(r.data);
}

export async function loadPlan(path: string, opts: LoadPlanOptions = {}): Promise<LoadedPlan> {
  const y = readYaml(path);
  const spec = parsePlanSpec(y.value, path, y.lineOf);
  const notices = legacyKeyNotices(y.value).map((n) => {
    const line = y.lineOf([n.key]);
    return `${path}${line === undefined ? '' : `:${line}`}: ${n.message}`;
  });
  for (const n of notices) (opts.onNotice ?? warnProcess)(n);
  let real: TextRow[] = [];
  if (spec.real) {
    const p = resolve(dirname(path), spec.real.path);
    real = await readTextRows(p, spec.real.text_field, spec.real.label_field);
  }
  let plan: Plan;
  try {
    plan = buildPlan(spec, spec.real ? real.map((r) => r.label ?? '') : undefined);
  } catch (e) {
    // buildPlan is pure and knows only the plan path: add the file and line.
    if (!(e instanceof StrataError) || e.place.file !== undefined) throw e;
    const segments = (e.place.path ?? '').match(/[^.[\]]+/g) ?? [];
    const line = y.lineOf(segments.map((x) => (/^\d+$/.test(x) ? Number(x) : x)));
    throw new StrataError(e.code, e.message, { ...e.place, file: path, line }, e.hint);
  }
  return { path, spec, plan, real, notices };
}

export function loadTemplateSet(spec: PlanSpec, planPath: string): TemplateSet {
  if (spec.provider.type !== 'template') throw new Error('not a template provider');
  const t = spec.provider.templates;
  const set =
    typeof t === 'string'
      ? (() => {
          const p = resolve(dirname(planPath), t);
          return parseTemplateSet(readYaml(p).value, p);
        })()
      : parseTemplateSet({ axis: spec.provider.axis ?? Object.keys(spec.axes)[0], ...t }, planPath);
  if (spec.provider.axis) set.axis = spec.provider.axis;
  return set;
}

export interface ProviderChoice {
  /** Wrap in a record/replay cassette. */
  replay?: { path: string; mode: ReplayMode };
  /** Where warnings go (e.g. `api_key_env` names an unset variable); default a process warning. */
  onNotice?: Notify;
}

/**
 * The API key named by `api_key_env` (or `--llm-api-key-env`: `what`), with a warning when the
 * variable is unset or empty.
 */
export function apiKeyFrom(
  envName: string | undefined,
  notify: Notify,
  what: { name: string; remove: string } = { name: 'provider.api_key_env', remove: 'remove api_key_env' },
): string | undefined {
  if (!envName) return undefined;
  const key = process.env[envName];
  if (key) return key;
  notify(
    `${what.name} names ${envName}, which is ${key === undefined ? 'not set' : 'empty'}: requests go without an API key (set ${envName}, or ${what.remove} for a server that needs none)`,
  );
  return undefined;
}

export function createProvider(
  loaded: LoadedPlan,
  choice: ProviderChoice = {},
): TextProvider | ReplayProvider {
  const { spec } = loaded;
  const p = spec.provider;
  let inner: TextProvider;
  if (p.type === 'template') inner = templateProvider(loadTemplateSet(spec, loaded.path));
  else if (p.type === 'openai')
    inner = openAiProvider({
      baseUrl: p.base_url,
      model: p.model,
      apiKey: apiKeyFrom(p.api_key_env, choice.onNotice ?? warnProcess),
      concurrency: p.concurrency,
      timeoutMs: p.timeout_ms,
      retries: p.retries,
      maxRetryWaitS: p.max_retry_wait_s,
      maxResponseBytes: p.max_response_bytes,
      pricePer1kPrompt: p.price_per_1k_prompt,
      pricePer1kCompletion: p.price_per_1k_completion,
      seed: spec.seed,
    });
  else
    inner = ollamaProvider({
      baseUrl: p.base_url,
      model: p.model,
      concurrency: p.concurrency,
      timeoutMs: p.timeout_ms,
      retries: p.retries,
      maxRetryWaitS: p.max_retry_wait_s,
      maxResponseBytes: p.max_response_bytes,
    });
  return choice.replay ? replayProvider(choice.replay.path, choice.replay.mode, inner) : inner;
}

export function createLabeller(
  spec: PlanSpec,
  real: readonly TextRow[] = [],
  provider?: TextProvider,
): Labeller | undefined {
  if (!spec.verify) return undefined;
  if (spec.verify.judge) {
    if (!provider || spec.provider.type === 'template')
      throw new StrataError(
        'text.verify_judge',
        'verify.judge needs an LLM provider',
        { path: 'verify.judge' },
        'set provider.type to openai or ollama',
      );
    const values = spec.axes[spec.verify.axis];
    if (!values)
      throw new StrataError(
        'text.verify_axis',
        `verify.axis "${spec.verify.axis}" is not an axis`,
        { path: 'verify.axis' },
        `axes are: ${Object.keys(spec.axes).join(', ')}`,
      );
    return llmJudgeLabeller(provider, values, spec.seed);
  }
  if (spec.verify.keywords) return keywordLabeller(spec.verify.keywords);
  if (spec.verify.exemplars) {
    const ex = real.filter((r) => r.label !== null).map((r) => ({ text: r.text, label: r.label! }));
    if (ex.length === 0)
      throw new StrataError(
        'text.verify_exemplars',
        'verify.exemplars needs a labelled real: log',
        { path: 'verify.exemplars' },
        'add real: { path, label_field, axis } or use verify.keywords',
      );
    return exemplarLabeller(ex, spec.verify.exemplars);
  }
  throw new StrataError(
    'text.verify_labeller',
    'verify needs keywords: or exemplars:',
    { path: 'verify' },
    'add verify.keywords (label → regex list) or verify.exemplars: 5',
  );
}
