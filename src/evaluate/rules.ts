/**
 * Rule violations per rule of the spec table, with example rows. A rule is "not evaluable" on a row
 * where a column it references is missing or where its result is null (expression comparisons with
 * null are false, which would otherwise read as a violation); such rows are counted separately, not
 * as violations.
 */
import { compileExpression, truthy, type Value } from '../expr/index.js';
import type { RawTable } from '../io/index.js';
import { nameMap } from '../names.js';
import { meanMetric } from './bootstrap.js';
import { defineSection, ok, type SectionContext, skip } from './section.js';
import type { Metric, RuleReport } from './types.js';

export function checkRules(
  raw: RawTable,
  values: Value[][],
  rules: readonly { name: string; check: string }[],
  opts: { seed: number; reps: number; level: number },
): { rules: RuleReport[]; anyViolation: Float64Array } {
  const columns = new Map(raw.columns.map((c, i) => [c, i] as [string, number]));
  const n = raw.rowCount;
  const anyViolation = new Float64Array(n);
  const row: Value[] = new Array(raw.columns.length).fill(null);
  const reports = rules.map((rule): RuleReport => {
    let compiled: ReturnType<typeof compileExpression>;
    try {
      compiled = compileExpression(rule.check, { columns });
    } catch (e) {
      return {
        name: rule.name,
        check: rule.check,
        violations: 0,
        not_evaluable: n,
        rate: { value: null, reason: `rule cannot be compiled: ${(e as Error).message}` },
        examples: [],
        error: (e as Error).message,
      };
    }
    const viol = new Float64Array(n);
    let violations = 0;
    let notEval = 0;
    const examples: RuleReport['examples'] = [];
    const refIdx = compiled.refs.map((name) => columns.get(name) ?? -1).filter((c) => c >= 0);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < row.length; c++) row[c] = values[c][i];
      const v = refIdx.some((c) => row[c] === null) ? null : compiled.evaluate(row);
      if (v === null) {
        notEval++;
        continue;
      }
      if (!truthy(v)) {
        violations++;
        viol[i] = 1;
        anyViolation[i] = 1;
        if (examples.length < 5) {
          const rec: Record<string, string | null> = nameMap();
          for (const name of compiled.refs) rec[name] = raw.data[columns.get(name) ?? 0][i];
          examples.push({ row: i + 1, values: rec });
        }
      }
    }
    return {
      name: rule.name,
      check: rule.check,
      violations,
      not_evaluable: notEval,
      rate: meanMetric(viol, opts.seed, `rule:${rule.name}`, opts.reps, opts.level, 'no synthetic rows'),
      examples,
    };
  });
  return { rules: reports, anyViolation };
}

export const rulesSection = defineSection({
  name: 'rules',
  order: 80,
  title: "rules: the spec's checks on synthetic rows",
  empty: null as RuleReport[] | null,
  summary: {
    rule_violation_rate: {
      label: 'Rule violation rate (synthetic rows breaking at least one rule)',
      read: (r) => r.violationRate,
    },
  },
  run(ctx: SectionContext) {
    const spec = ctx.spec;
    if (!spec) return skip('needs --spec');
    const raw = ctx.raw.synthetic;
    const r = checkRules(raw, spec.values(), spec.rules, ctx.opts);
    let violationRate: Metric;
    if (spec.rules.length === 0)
      violationRate = { value: null, reason: `the spec's table "${spec.name}" declares no rules` };
    else {
      let any = 0;
      for (const v of r.anyViolation) any += v;
      ctx.shared.rules = { violating: any, rows: raw.rowCount, rules: spec.rules.length };
      violationRate = raw.rowCount
        ? { value: any / raw.rowCount }
        : { value: null, reason: 'no synthetic rows' };
    }
    return ok({ rules: r.rules, violationRate });
  },
  output: (r) => r.rules,
});
