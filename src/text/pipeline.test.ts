import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StrataError } from '../errors.js';
import { streamFor } from '../random/stream.js';
import { diversify, OPERATORS } from './diversify.js';
import { generateFromPlan } from './generate.js';
import { runTextPipeline } from './pipeline.js';
import { buildPlan } from './plan.js';
import { type PlanInput, PlanSpec } from './plan-schema.js';
import { renderTemplate, type TemplateSet, templateProvider } from './providers/template.js';
import { exemplarLabeller, keywordLabeller } from './verify.js';

const SET: TemplateSet = {
  axis: 'intent',
  slots: {
    greeting: ['', 'Hi,', 'Hello,', 'Hey,'],
    punct: ['?', '.', '!'],
    when: ['today', 'yesterday', 'last week', 'this morning'],
  },
  groups: {
    lost_or_stolen_card: {
      templates: [
        '{greeting} I {lost} my {card} {when}{punct}',
        '{greeting} my {card} was {stolen} {where}{punct}',
      ],
      slots: {
        lost: ['lost', 'misplaced', 'dropped', 'cannot find'],
        card: ['card', 'debit card', 'bank card', 'visa'],
        stolen: ['stolen', 'taken', 'pickpocketed'],
        where: ['on the bus', 'at work', 'in a bar', 'abroad', 'at the gym'],
      },
    },
    top_up_limits: {
      templates: [
        '{greeting} what is the {limit} for {topping}{punct}',
        '{greeting} how much can I {topup} {period}{punct}',
      ],
      slots: {
        limit: ['limit', 'maximum', 'cap'],
        topping: ['top ups', 'topping up', 'adding money'],
        topup: ['top up', 'add', 'load'],
        period: ['per day', 'in a month', 'at once', 'in one go', 'per week'],
      },
    },
  },
};

const SPEC: PlanInput = {
  name: 'bank',
  seed: 3,
  axes: { intent: ['lost_or_stolen_card', 'top_up_limits'], persona: ['student', 'retiree'] },
  min_per_cell: 6,
  cells: [{ when: { intent: 'top_up_limits', persona: 'retiree' }, min: 9 }],
  prompt: 'As a {persona}, ask about {intent}.',
  diversify: [
    { op: 'paraphrase', p: 0.5 },
    { op: 'typo', p: 0.3 },
  ],
  dedup: { scope: 'global', minhash_threshold: 0.8, embedding_threshold: 0.95 },
  generation: { batch: 4, max_batches: 40, temperature: 0.7 },
  echo: { novelty_threshold: 0.02, patience: 10 },
};

describe('template provider', () => {
  it('is deterministic and draws from the group slots', async () => {
    const p = templateProvider(SET);
    const req = { prompt: 'x', cell: { intent: 'top_up_limits' }, n: 20, temperature: 1, seed: 11 };
    const a = await p.generate(req);
    expect(a.texts).toEqual((await p.generate(req)).texts);
    expect((await p.generate({ ...req, seed: 12 })).texts).not.toEqual(a.texts);
    for (const t of a.texts) expect(t).toMatch(/limit|maximum|cap|top up|add|load/i);
    expect(new Set(a.texts).size).toBeGreaterThan(8);
  });

  it('names the missing group', () => {
    expect(() => renderTemplate(SET, { intent: 'nope' }, streamFor(1))).toThrow(
      /no template group for intent = "nope"/,
    );
  });
});

describe('diversifiers', () => {
  it('record their operator chain and are seeded', () => {
    const steps = Object.keys(OPERATORS).map((op) => ({ op, p: 1 }));
    const a = diversify('I need help with my card please', steps, streamFor(1, 'd'), {
      persona: 'a student',
    });
    const b = diversify('I need help with my card please', steps, streamFor(1, 'd'), {
      persona: 'a student',
    });
    expect(a).toEqual(b);
    expect(a.chain.map((c) => c.op)).toEqual(Object.keys(OPERATORS));
    const enc = diversify('hello there', [{ op: 'base64', p: 1 }], streamFor(1));
    expect(enc.text).toContain(Buffer.from('hello there').toString('base64'));
    expect(diversify('abc', [{ op: 'rot13', p: 1 }], streamFor(1)).text).toContain('nop');
    try {
      diversify('x', [{ op: 'nope', p: 1 }], streamFor(1));
      expect.unreachable();
    } catch (e) {
      expect((e as StrataError).format()).toMatch(
        /diversify\[0\]\.op: unknown diversifier "nope" — use one of/,
      );
    }
  });
});

describe('pipeline with the template provider', () => {
  it('meets every quota exactly, with provenance, deterministically', async () => {
    const spec = PlanSpec.parse(SPEC);
    const plan = buildPlan(spec);
    const run = () => runTextPipeline(plan, spec, templateProvider(SET));
    const r = await run();
    expect(r.shortfall).toEqual([]);
    for (const c of plan.cells)
      expect(
        r.records.filter((x) => x.cell === c.cell || JSON.stringify(x.cell) === JSON.stringify(c.cell)),
      ).toHaveLength(c.quota);
    expect(r.records).toHaveLength(6 * 3 + 9);
    const ids = new Set(r.records.map((x) => x.id));
    expect(ids.size).toBe(r.records.length);
    for (const x of r.records) {
      expect(x.provenance.provider).toBe('template');
      expect(x.provenance.prompt_hash).toMatch(/^[0-9a-f]{16}$/);
      expect(x.provenance.seed_stream).toContain(x.cell.intent);
    }
    expect(r.records.some((x) => x.provenance.operators.length > 0)).toBe(true);
    // every rejection names a neighbour that was accepted earlier
    const seen = new Set(r.records.map((x) => x.id));
    for (const rej of r.dedup_rejections) expect(seen.has(rej.neighbour_id)).toBe(true);
    expect((await run()).records).toEqual(r.records);
  });

  it('verification re-routes mislabelled samples and feeds rejections into the repair prompt', async () => {
    const spec = PlanSpec.parse({
      ...SPEC,
      axes: { intent: ['lost_or_stolen_card', 'top_up_limits'] },
      cells: [],
      verify: { axis: 'intent', action: 'reroute' },
    });
    const plan = buildPlan(spec);
    // a provider that mixes in texts of the other intent
    const base = templateProvider(SET);
    const prompts: string[] = [];
    const mixed = {
      name: 'mixed',
      model: 'm',
      async generate(req: Parameters<typeof base.generate>[0]) {
        prompts.push(req.prompt);
        const other = req.cell.intent === 'top_up_limits' ? 'lost_or_stolen_card' : 'top_up_limits';
        const a = await base.generate(req);
        const b = await base.generate({ ...req, cell: { intent: other }, n: 1 });
        return { texts: [...a.texts.slice(1), ...b.texts], usage: a.usage };
      },
    };
    const lab = keywordLabeller({
      lost_or_stolen_card: ['lost|misplaced|stolen|taken|dropped|find'],
      top_up_limits: ['limit|maximum|cap|top|load|add'],
    });
    const r = await runTextPipeline(plan, spec, mixed, { labeller: lab });
    expect(r.shortfall).toEqual([]);
    expect(r.events.some((e) => e.type === 'reroute')).toBe(true);
    for (const x of r.records) expect(lab.label(x.text).label).toBe(x.cell.intent);
    const rerouted = r.records.filter((x) => x.provenance.rerouted_from);
    expect(rerouted.length).toBeGreaterThan(0);
    // reject mode: the repair prompt quotes a rejected attempt
    const spec2 = PlanSpec.parse({ ...spec, verify: { axis: 'intent', action: 'reject' } });
    prompts.length = 0;
    const r2 = await runTextPipeline(buildPlan(spec2), spec2, mixed, { labeller: lab });
    expect(r2.verify_rejections.length).toBeGreaterThan(0);
    expect(prompts.some((p) => p.includes('were rejected as not about'))).toBe(true);
  });

  it('nearest-exemplar labeller votes for the closest labelled texts', () => {
    const lab = exemplarLabeller(
      [
        { text: 'I lost my card on the bus', label: 'lost' },
        { text: 'my card was stolen at work', label: 'lost' },
        { text: 'what is the top up limit', label: 'limit' },
        { text: 'how much can I top up per day', label: 'limit' },
      ],
      3,
    );
    expect(lab.label('I think I lost my card yesterday').label).toBe('lost');
    expect(lab.label('what is the maximum top up per day').label).toBe('limit');
  });

  it('generateFromPlan reads a YAML plan with a template file and writes JSONL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-text-'));
    writeFileSync(join(dir, 't.json'), JSON.stringify(SET));
    writeFileSync(
      join(dir, 'plan.yaml'),
      `name: p\nseed: 5\naxes:\n  intent: [lost_or_stolen_card, top_up_limits]\nmin_per_cell: 4\nprovider: { type: template, templates: t.json }\n`,
    );
    const out = join(dir, 'out.jsonl');
    const r = await generateFromPlan(join(dir, 'plan.yaml'), out, {
      seed: 9,
      rejectionsPath: join(dir, 'rej.jsonl'),
    });
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatchObject({
      cell: { intent: 'lost_or_stolen_card' },
      provenance: { provider: 'template' },
    });
    expect(r.records[0].provenance.seed_stream.startsWith('9/')).toBe(true);
    writeFileSync(join(dir, 'bad.yaml'), `axes:\n  intent: [a]\nmin_per_cell: -1\n`);
    await expect(generateFromPlan(join(dir, 'bad.yaml'), out)).rejects.toThrow(/min_per_cell|too small/i);
  });

  it('a real: log raises thin cells and its exemplars verify the samples', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-text-real-'));
    writeFileSync(join(dir, 't.json'), JSON.stringify(SET));
    const real = ['text,category'];
    for (let i = 0; i < 12; i++) real.push(`I lost my card number ${i} on the bus,lost_or_stolen_card`);
    for (let i = 0; i < 3; i++) real.push(`what is the top up limit ${i} per day,top_up_limits`);
    writeFileSync(join(dir, 'real.csv'), `${real.join('\n')}\n`);
    writeFileSync(
      join(dir, 'plan.yaml'),
      [
        'name: r',
        'axes:',
        '  intent: [lost_or_stolen_card, top_up_limits]',
        'min_per_cell: 2',
        'real: { path: real.csv, label_field: category, axis: intent }',
        'verify: { axis: intent, exemplars: 3 }',
        'provider: { type: template, templates: t.json }',
      ].join('\n'),
    );
    const r = await generateFromPlan(join(dir, 'plan.yaml'), join(dir, 'o.jsonl'));
    const n = (i: string) => r.records.filter((x) => x.cell.intent === i).length;
    expect(n('lost_or_stolen_card')).toBe(2);
    expect(n('top_up_limits')).toBe(9); // 12 − 3 real rows
    expect(r.records.every((x) => x.label === x.cell.intent)).toBe(true);
  });
});
