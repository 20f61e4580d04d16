/**
 * The offline template generator: slot grammars with seeded choices. A template such as
 * `"{greeting} {ask} {object}{punct}"` is expanded by drawing each slot from the group's slots, then
 * the shared slots, then the cell's own axis values; slot values may contain slots (depth ≤ 8).
 * Same request → same texts, on every machine.
 */
import { StrataError } from '../../errors.js';
import { nameMap } from '../../names.js';
import { type Stream, streamFor } from '../../random/stream.js';
import { type Cell, cellKey } from '../types.js';
import { emptyUsage, type GenerateRequest, type GenerateResult, type TextProvider } from './types.js';

export interface TemplateGroup {
  templates: string[];
  slots?: Record<string, string[]>;
}

export interface TemplateSet {
  /** The axis whose value picks the group (e.g. `intent`). */
  axis: string;
  slots?: Record<string, string[]>;
  groups: Record<string, TemplateGroup>;
}

const SLOT = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function renderTemplate(set: TemplateSet, cell: Cell, st: Stream): { text: string; template: number } {
  const key = cell[set.axis];
  const group = set.groups[key] ?? set.groups.default;
  if (!group)
    throw new StrataError(
      'text.template_group',
      `no template group for ${set.axis} = "${key}"`,
      { path: `groups.${key}` },
      'add a group for it or a "default" group',
    );
  const t = st.nextInt(group.templates.length);
  const expand = (s: string, depth: number): string =>
    s.replace(SLOT, (m, name: string) => {
      const opts = group.slots?.[name] ?? set.slots?.[name];
      if (opts && opts.length > 0 && depth < 8) return expand(opts[st.nextInt(opts.length)], depth + 1);
      if (Object.hasOwn(cell, name)) return cell[name].replace(/_/g, ' ');
      return m;
    });
  const text = expand(group.templates[t], 0)
    .replace(/\s+/g, ' ')
    .replace(/\s+([?.!,])/g, '$1')
    .trim();
  return { text: text.charAt(0).toUpperCase() + text.slice(1), template: t };
}

export function templateProvider(set: TemplateSet): TextProvider {
  return {
    name: 'template',
    model: `template:${set.axis}`,
    async generate(req: GenerateRequest): Promise<GenerateResult> {
      const texts: string[] = [];
      const base = cellKey(req.cell);
      for (let i = 0; i < req.n; i++)
        texts.push(renderTemplate(set, req.cell, streamFor(req.seed, 'template', base, i)).text);
      return { texts, usage: { ...emptyUsage(), requests: 1 } };
    },
  };
}

/** Validate a parsed YAML/JSON object as a template set; errors name the path. */
export function parseTemplateSet(raw: unknown, source: string): TemplateSet {
  const bad = (path: string, msg: string) =>
    new StrataError(
      'text.template_set',
      msg,
      { file: source, path },
      'see examples/text/banking77.templates.yaml',
    );
  if (typeof raw !== 'object' || raw === null) throw bad('', 'a template set must be a mapping');
  const r = raw as Record<string, unknown>;
  const strList = (v: unknown, path: string): string[] => {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number'))
      throw bad(path, 'expected a list of strings');
    return v.map(String);
  };
  const slotMap = (v: unknown, path: string): Record<string, string[]> | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || v === null) throw bad(path, 'expected a mapping of slot name to values');
    const out: Record<string, string[]> = nameMap();
    for (const [k, x] of Object.entries(v)) out[k] = strList(x, `${path}.${k}`);
    return out;
  };
  if (typeof r.axis !== 'string') throw bad('axis', 'missing axis: (the axis whose value picks the group)');
  if (typeof r.groups !== 'object' || r.groups === null) throw bad('groups', 'missing groups:');
  const groups: Record<string, TemplateGroup> = nameMap();
  for (const [k, g] of Object.entries(r.groups as Record<string, unknown>)) {
    const gg = (g ?? {}) as Record<string, unknown>;
    const templates = strList(gg.templates, `groups.${k}.templates`);
    if (templates.length === 0) throw bad(`groups.${k}.templates`, 'a group needs at least one template');
    groups[k] = { templates, slots: slotMap(gg.slots, `groups.${k}.slots`) };
  }
  return { axis: r.axis, slots: slotMap(r.slots, 'slots'), groups };
}
