/**
 * The audit (issue 15.3): what the refine loop does not optimise, each judged against the holdout's
 * own score — a fresh real sample the model never saw, which is what "good enough" looks like.
 *
 *  - rare cells: every category with ≥ 20 training rows and every cell of two categorical columns
 *    with ≥ 50; the synthetic share against the training share;
 *  - tails: per numeric column, the share of values below the training 1% quantile and above the
 *    99% quantile;
 *  - rules: rows breaking at least one spec rule, read from the rules section, against the share of
 *    holdout rows that break one;
 *  - privacy: DCR share, membership-inference AUC and identical matches, read from the privacy
 *    section (not computed again), against their fresh-sample baselines: 0.5 for the first two
 *    (a one-sided z-test, the standard error read from the bootstrap interval), the holdout's own
 *    share for identical matches (the near-copy rule, near-copy.ts).
 *
 * A cell or tail fails when (1) the exact count test (count-test.ts) says the synthetic count differs
 * from the training count at the family-wise level 0.05 (Bonferroni over every cell and tail
 * judged plus the rules, DCR and membership tests, so a fresh real sample passes the whole audit
 * with probability ≥ 95%), and (2) the synthetic share misses the training share by more than the
 * holdout's does. The holdout is
 * audited by (1) as if it were the synthetic set: its failures are the audit's false alarms.
 * Without a holdout nothing gets a verdict (the gaps and p-values are still listed): the baseline
 * is missing, and no tolerance is made up in its place.
 */
import type { TypedColumn } from '../ml/index.js';
import { phiSf, probit } from '../random/special.js';
import { quantileSorted } from './bootstrap.js';
import { countTest } from './count-test.js';
import { farAbove } from './near-copy.js';
import type { Block, Presentation } from './presentation.js';
import { checkRules } from './rules.js';
import { defineSection, ok, type SectionContext } from './section.js';
import { specValues } from './spec-checks.js';
import type { Metric } from './types.js';

/** Training rows a category needs to be audited. */
export const CATEGORY_MIN_ROWS = 20;
/** Training rows a cell of two categorical columns needs to be audited. */
export const PAIR_MIN_ROWS = 50;
/** The tails: below this training quantile and above its mirror. */
export const TAIL_QUANTILE = 0.01;
/** Family-wise level: a fresh real sample fails no check with probability ≥ 1 − this. */
export const AUDIT_LEVEL = 0.05;
/** Checks listed in the report (failing ones first). */
const LISTED = 20;

export interface AuditCheck {
  /** A category, a cell of two categorical columns, or a numeric tail. */
  kind: 'category' | 'pair' | 'tail';
  /** The cell or tail in words: `sex = Female`, `race = Other & sex = Male`, `age > 74`. */
  label: string;
  /** The columns it is about. */
  columns: string[];
  /** Share of training rows in it (of rows where its columns are present). */
  real: number;
  /** Share of synthetic rows in it. */
  synthetic: number;
  /** Share of holdout rows in it; null without a holdout. */
  holdout: number | null;
  /** Two-sided p-value of the synthetic count against the training count (count-test.ts). */
  p_value: number;
  /** p-value of the holdout's count against the training count; null without a holdout. */
  holdout_p_value: number | null;
  /** Fails both tests (see the top of audit.ts); null without a holdout. */
  failed: boolean | null;
  /** The holdout fails test (1): a false alarm; null without a holdout. */
  holdout_failed: boolean | null;
}

export interface AuditVerdict {
  /** What is judged, in words. */
  check: string;
  /** The synthetic figure and its fresh-sample baseline. */
  value: number | null;
  /** What a fresh real sample scores (0.5, or the holdout's own share). */
  baseline: number | null;
  /** Fails against the baseline; null when it cannot be judged (see `note`). */
  failed: boolean | null;
  /** Why it fails, or why it cannot be judged. */
  note: string;
}

export interface AuditSection {
  /** Tests counted (cells, tails, and the rules, DCR and membership tests: the Bonferroni count) and the per-test p-value threshold. */
  tests: number;
  /** 0.05 / tests. */
  threshold: number;
  /** Categories and pair cells: how many were judged, failed, and failed by the holdout. */
  cells: { judged: number; failed: number | null; holdout_failed: number | null };
  /** Numeric tails: how many were judged, failed, and failed by the holdout. */
  tails: { judged: number; failed: number | null; holdout_failed: number | null };
  /** Rules, DCR share, membership inference, identical matches. */
  verdicts: AuditVerdict[];
  /** Failing checks of every kind (`audit_failed`); null without a holdout. */
  failed: number | null;
  /** Cells and tails the holdout fails against train: the audit's false alarms. */
  holdout_failed: number | null;
  /** The worst cells and tails (failing first, then by p-value), up to 20. */
  worst: AuditCheck[];
  /** What could not be judged, and why. */
  not_judged: string[];
  /** The verdict in one line (`--explain` style). */
  line: string;
}

interface Side {
  rows: number;
  columns: TypedColumn[];
}

const NO_HOLDOUT = 'needs --holdout (a real sample not used for training): its own deviation is the baseline';

/** Counts of each code of a categorical column, and the rows where it is present. */
function codeCounts(c: TypedColumn, levels: number): { counts: Float64Array; present: number } {
  const counts = new Float64Array(levels);
  let present = 0;
  if (c.kind !== 'categorical') return { counts, present };
  for (const x of c.codes)
    if (x >= 0) {
      counts[x]++;
      present++;
    }
  return { counts, present };
}

/**
 * Rows per joint code x · lb + y of two categorical columns, counted in a Map: memory and time grow
 * with the rows, not with the product of the columns' levels (two columns of 1,000 levels each
 * would otherwise need a million counters per pair).
 */
function pairCounts(
  a: TypedColumn,
  b: TypedColumn,
  lb: number,
): { counts: Map<number, number>; present: number } {
  const counts = new Map<number, number>();
  let present = 0;
  if (a.kind !== 'categorical' || b.kind !== 'categorical') return { counts, present };
  for (let r = 0; r < a.codes.length; r++) {
    const x = a.codes[r];
    const y = b.codes[r];
    if (x >= 0 && y >= 0) {
      const k = x * lb + y;
      counts.set(k, (counts.get(k) ?? 0) + 1);
      present++;
    }
  }
  return { counts, present };
}

interface Raw {
  kind: AuditCheck['kind'];
  label: string;
  columns: string[];
  counts: [number, number, number | null];
  rows: [number, number, number | null];
}

const share = (c: number, n: number) => (n > 0 ? c / n : 0);

/** Every audited cell: categories with ≥ 20 training rows, pair cells with ≥ 50. */
function cells(train: Side, syn: Side, hold: Side | undefined): Raw[] {
  const out: Raw[] = [];
  const cats = train.columns
    .map((c, i) => ({ c, i }))
    .filter(
      (x): x is { c: Extract<TypedColumn, { kind: 'categorical' }>; i: number } => x.c.kind === 'categorical',
    );
  for (const { c, i } of cats) {
    const k = c.levels.length;
    const r = codeCounts(c, k);
    const s = codeCounts(syn.columns[i], k);
    const h = hold ? codeCounts(hold.columns[i], k) : undefined;
    for (let v = 0; v < k; v++)
      if (r.counts[v] >= CATEGORY_MIN_ROWS)
        out.push({
          kind: 'category',
          label: `${c.name} = ${c.levels[v]}`,
          columns: [c.name],
          counts: [r.counts[v], s.counts[v], h ? h.counts[v] : null],
          rows: [r.present, s.present, h ? h.present : null],
        });
  }
  for (let x = 0; x < cats.length; x++)
    for (let y = x + 1; y < cats.length; y++) {
      const a = cats[x];
      const b = cats[y];
      const lb = b.c.levels.length;
      const r = pairCounts(a.c, b.c, lb);
      const s = pairCounts(syn.columns[a.i], syn.columns[b.i], lb);
      const h = hold ? pairCounts(hold.columns[a.i], hold.columns[b.i], lb) : undefined;
      const common = [...r.counts].filter(([, c]) => c >= PAIR_MIN_ROWS).sort((u, w) => u[0] - w[0]);
      for (const [v, c] of common)
        out.push({
          kind: 'pair',
          label: `${a.c.name} = ${a.c.levels[Math.floor(v / lb)]} & ${b.c.name} = ${b.c.levels[v % lb]}`,
          columns: [a.c.name, b.c.name],
          counts: [c, s.counts.get(v) ?? 0, h ? (h.counts.get(v) ?? 0) : null],
          rows: [r.present, s.present, h ? h.present : null],
        });
    }
  return out;
}

const num = (x: number) => String(Number(x.toPrecision(6)));

/** Below the training 1% quantile and above the 99% quantile, per numeric column. */
function tails(train: Side, syn: Side, hold: Side | undefined): Raw[] {
  const out: Raw[] = [];
  train.columns.forEach((c, i) => {
    if (c.kind !== 'numeric') return;
    const present = (t: TypedColumn) =>
      t.kind === 'numeric' ? t.values.filter((v) => !Number.isNaN(v)) : [];
    const r = present(c);
    if (r.length === 0) return;
    const sorted = Float64Array.from(r).sort();
    const lo = quantileSorted(sorted, TAIL_QUANTILE);
    const hi = quantileSorted(sorted, 1 - TAIL_QUANTILE);
    const s = present(syn.columns[i]);
    const h = hold ? present(hold.columns[i]) : undefined;
    const count = (v: ArrayLike<number>, beyond: (x: number) => boolean) => {
      let n = 0;
      for (let j = 0; j < v.length; j++) if (beyond(v[j])) n++;
      return n;
    };
    for (const [label, beyond] of [
      [`${c.name} < ${num(lo)} (training 1%)`, (x: number) => x < lo],
      [`${c.name} > ${num(hi)} (training 99%)`, (x: number) => x > hi],
    ] as const)
      out.push({
        kind: 'tail',
        label,
        columns: [c.name],
        counts: [count(r, beyond), count(s, beyond), h ? count(h, beyond) : null],
        rows: [r.length, s.length, h ? h.length : null],
      });
  });
  return out;
}

function judge(raw: Raw, threshold: number): AuditCheck {
  const [cr, cs, ch] = raw.counts;
  const [nr, ns, nh] = raw.rows;
  const real = share(cr, nr);
  const synthetic = share(cs, ns);
  const p = countTest(cs, ns, cr, nr);
  const withHoldout = ch !== null && nh !== null && nh > 0;
  const holdout = withHoldout ? share(ch, nh) : null;
  const hp = withHoldout ? countTest(ch, nh, cr, nr) : null;
  return {
    kind: raw.kind,
    label: raw.label,
    columns: raw.columns,
    real,
    synthetic,
    holdout,
    p_value: p,
    holdout_p_value: hp,
    failed: holdout === null ? null : p < threshold && Math.abs(synthetic - real) > Math.abs(holdout - real),
    holdout_failed: hp === null ? null : hp < threshold,
  };
}

function tally(checks: readonly AuditCheck[], withHoldout: boolean) {
  return {
    judged: checks.length,
    failed: withHoldout ? checks.filter((c) => c.failed).length : null,
    holdout_failed: withHoldout ? checks.filter((c) => c.holdout_failed).length : null,
  };
}

/** Rows of the holdout breaking at least one of the spec's rules (the rules section's own check). */
function holdoutViolating(ctx: SectionContext): { violating: number; rows: number } | undefined {
  const spec = ctx.spec;
  const hold = ctx.raw.holdout;
  if (!spec || !hold) return undefined;
  const r = checkRules(hold, specValues(hold, spec.columns), spec.rules, { ...ctx.opts, reps: 0 });
  let violating = 0;
  for (const v of r.anyViolation) violating += v;
  return { violating, rows: hold.rowCount };
}

function rulesVerdict(ctx: SectionContext, threshold: number): AuditVerdict {
  const check = 'rows breaking a spec rule';
  const mine = ctx.shared.rules;
  if (!ctx.spec) return { check, value: null, baseline: null, failed: null, note: 'needs --spec' };
  if (!mine)
    return {
      check,
      value: null,
      baseline: null,
      failed: null,
      note:
        ctx.spec.rules.length === 0
          ? `the spec's table "${ctx.spec.name}" declares no rules`
          : 'the rules section did not run',
    };
  const value = share(mine.violating, mine.rows);
  const hold = holdoutViolating(ctx);
  if (!hold || hold.rows === 0) return { check, value, baseline: null, failed: null, note: NO_HOLDOUT };
  const baseline = share(hold.violating, hold.rows);
  const p = countTest(mine.violating, mine.rows, hold.violating, hold.rows);
  const failed = value > baseline && p < threshold;
  return {
    check,
    value,
    baseline,
    failed,
    note: failed
      ? `more synthetic rows break a rule than holdout rows (p = ${p.toPrecision(2)})`
      : 'no more than the holdout',
  };
}

/**
 * A figure whose fresh-sample value is 0.5 (DCR share, membership-inference AUC), read with its
 * bootstrap interval: one-sided z-test of "above 0.5", the standard error taken from the interval's
 * width, at the audit's per-check threshold (so these checks share its family-wise level).
 */
function aboveHalf(
  check: string,
  m: Metric | undefined,
  what: string,
  level: number,
  threshold: number,
): AuditVerdict {
  if (!m || m.value === null)
    return {
      check,
      value: null,
      baseline: 0.5,
      failed: null,
      note: m?.reason ?? 'the privacy section did not run',
    };
  if (!m.ci) return { check, value: m.value, baseline: 0.5, failed: null, note: 'no bootstrap interval' };
  const se = (m.ci[1] - m.ci[0]) / (2 * probit((1 + level) / 2));
  const p = se > 0 ? phiSf((m.value - 0.5) / se) : m.value > 0.5 ? 0 : 1;
  const failed = p < threshold;
  return {
    check,
    value: m.value,
    baseline: 0.5,
    failed,
    note: failed
      ? `above 0.5 (one-sided p = ${p.toPrecision(2)}): ${what}`
      : `not above a fresh sample's 0.5 beyond noise (p = ${p.toPrecision(2)})`,
  };
}

function privacyVerdicts(ctx: SectionContext, threshold: number): AuditVerdict[] {
  const p = ctx.shared.privacy;
  const noHold = !ctx.holdout || ctx.holdout.rowCount === 0;
  const none = (check: string, baseline: number | null): AuditVerdict => ({
    check,
    value: null,
    baseline,
    failed: null,
    note: p ? NO_HOLDOUT : 'the privacy section did not run',
  });
  if (!p || noHold)
    return [
      none('DCR share', 0.5),
      none('membership inference AUC', 0.5),
      none('identical matches with training rows', null),
    ];
  const identical = p.identical_match_share;
  const base = p.identical_match_share_holdout;
  const copies = identical.value !== null && base.value !== null ? farAbove(identical, base) : null;
  return [
    aboveHalf(
      'DCR share',
      p.dcr_share,
      'synthetic rows sit closer to training rows than a fresh sample does',
      ctx.opts.level,
      threshold,
    ),
    aboveHalf(
      'membership inference AUC',
      p.membership_inference_auc,
      'training rows can be told from unseen ones',
      ctx.opts.level,
      threshold,
    ),
    {
      check: 'identical matches with training rows',
      value: identical.value,
      baseline: base.value,
      failed: copies,
      note:
        copies === null
          ? (identical.reason ?? base.reason ?? 'not computed')
          : copies
            ? 'far above the holdout’s share (twice it, 5 points above, intervals apart)'
            : 'not far above the holdout’s share',
    },
  ];
}

const rank = (c: AuditCheck) => (c.failed ? 0 : 1);

export function computeAudit(ctx: SectionContext): AuditSection {
  const train: Side = { rows: ctx.real.rowCount, columns: ctx.real.columns };
  const syn: Side = { rows: ctx.synthetic.rowCount, columns: ctx.synthetic.columns };
  const hold: Side | undefined =
    ctx.holdout && ctx.holdout.rowCount > 0
      ? { rows: ctx.holdout.rowCount, columns: ctx.holdout.columns }
      : undefined;
  const rawCells = cells(train, syn, hold);
  const rawTails = tails(train, syn, hold);
  // Every cell and tail, and the rules, DCR and membership-inference tests (counted whether or not
  // they can run, so the threshold does not move with --sections).
  const tests = rawCells.length + rawTails.length + 3;
  const threshold = AUDIT_LEVEL / tests;
  const cellChecks = rawCells.map((c) => judge(c, threshold));
  const tailChecks = rawTails.map((c) => judge(c, threshold));
  const withHoldout = hold !== undefined;
  const verdicts = [rulesVerdict(ctx, threshold), ...privacyVerdicts(ctx, threshold)];
  const all = [...cellChecks, ...tailChecks];
  const worst = [...all]
    .sort((a, b) => rank(a) - rank(b) || a.p_value - b.p_value || a.label.localeCompare(b.label))
    .slice(0, LISTED);
  const cellsT = tally(cellChecks, withHoldout);
  const tailsT = tally(tailChecks, withHoldout);
  const judgedVerdicts = verdicts.filter((v) => v.failed !== null);
  const failed = withHoldout
    ? (cellsT.failed ?? 0) + (tailsT.failed ?? 0) + judgedVerdicts.filter((v) => v.failed).length
    : null;
  const holdoutFailed = withHoldout ? (cellsT.holdout_failed ?? 0) + (tailsT.holdout_failed ?? 0) : null;
  const notJudged = [
    ...(withHoldout
      ? []
      : [`cells and tails: ${NO_HOLDOUT}; their gaps and p-values are listed without a verdict`]),
    ...verdicts.filter((v) => v.failed === null).map((v) => `${v.check}: ${v.note}`),
  ];
  if (rawCells.length + rawTails.length === 0)
    notJudged.push('no categorical cell with enough training rows and no numeric column');
  return {
    tests,
    threshold,
    cells: cellsT,
    tails: tailsT,
    verdicts,
    failed,
    holdout_failed: holdoutFailed,
    worst,
    not_judged: notJudged,
    line: auditLine(cellsT, tailsT, verdicts, failed, holdoutFailed),
  };
}

/** A check's verdict in words: null means it had no holdout to be judged against. */
const verdictWord = (failed: boolean | null) =>
  failed === null ? 'not judged' : failed ? 'FAILS' : 'passes';

function auditLine(
  c: AuditSection['cells'],
  t: AuditSection['tails'],
  verdicts: readonly AuditVerdict[],
  failed: number | null,
  holdoutFailed: number | null,
): string {
  if (failed === null)
    return `audit: not judged without --holdout (${c.judged} cells and ${t.judged} tails listed with their gaps)`;
  const v = verdicts.map((x) => `${x.check} ${verdictWord(x.failed)}`).join('; ');
  return `audit: ${failed === 0 ? 'passes' : `${failed} check${failed === 1 ? '' : 's'} fail`} — cells ${c.failed} of ${c.judged} fail, tails ${t.failed} of ${t.judged}; ${v}; the holdout fails ${holdoutFailed} of ${c.judged + t.judged} cells and tails against train (false alarms)`;
}

function present(a: AuditSection): Presentation {
  const blocks: Block[] = [
    {
      kind: 'figures',
      items: [
        {
          label: 'Checks failing (cells, tails, rules, privacy)',
          value: a.failed,
          key: 'audit_failed',
          format: 'count',
        },
        { label: 'Rare cells failing', value: a.cells.failed, key: 'audit_failed_cells', format: 'count' },
        { label: 'Tails failing', value: a.tails.failed, key: 'audit_failed_tails', format: 'count' },
        {
          label: 'Cells and tails the holdout fails (false alarms)',
          value: a.holdout_failed,
          key: 'audit_holdout_failed',
          format: 'count',
        },
      ],
    },
    { kind: 'note', text: a.line, tone: a.failed === null ? 'muted' : a.failed === 0 ? 'good' : 'bad' },
    {
      kind: 'note',
      text: `${a.cells.judged} cells (categories with ≥ ${CATEGORY_MIN_ROWS} training rows, pairs with ≥ ${PAIR_MIN_ROWS}) and ${a.tails.judged} tails (beyond the training 1% and 99% quantiles); a check fails when its exact count test gives p < ${a.threshold.toPrecision(2)} (0.05 over ${a.tests} tests: cells, tails, rules, DCR share, membership inference) and the synthetic share misses the training share by more than the holdout's does.`,
      tone: 'muted',
    },
  ];
  if (a.worst.length)
    blocks.push({
      kind: 'table',
      caption: 'Worst cells and tails (failing first, then by p-value)',
      columns: [
        { label: 'cell or tail', format: 'text' },
        { label: 'training', format: 'share' },
        { label: 'synthetic', format: 'share' },
        { label: 'holdout', format: 'share' },
        { label: 'p-value', format: 'text' },
        { label: 'verdict', format: 'text' },
      ],
      rows: a.worst.map((c) => [
        c.label,
        c.real,
        c.synthetic,
        c.holdout,
        c.p_value.toPrecision(2),
        verdictWord(c.failed),
      ]),
    });
  blocks.push({
    kind: 'table',
    caption: 'Rules and privacy against their fresh-sample baselines',
    columns: [
      { label: 'check', format: 'text' },
      { label: 'synthetic', format: 'score' },
      { label: 'baseline', format: 'score' },
      { label: 'verdict', format: 'text' },
      { label: 'why', format: 'text' },
    ],
    rows: a.verdicts.map((v) => [v.check, v.value, v.baseline, verdictWord(v.failed), v.note]),
  });
  for (const n of a.not_judged) blocks.push({ kind: 'note', text: `Not judged — ${n}`, tone: 'muted' });
  return { heading: 'Audit: rare cells, tails, rules and privacy against the holdout', blocks };
}

const countOrNull = (x: number | null): Metric =>
  x === null ? { value: null, reason: NO_HOLDOUT } : { value: x };

export const auditSection = defineSection({
  name: 'audit',
  order: 120,
  title: 'audit: rare cells, tails, rules and privacy against the holdout',
  empty: null as AuditSection | null,
  summary: {
    audit_failed: {
      label: 'Audit: checks failing (rare cells, tails, rules, privacy) beyond the holdout',
      read: (a: AuditSection) => countOrNull(a.failed),
    },
    audit_failed_cells: {
      label: 'Audit: rare cells (categories ≥ 20 rows, pairs ≥ 50) failing',
      read: (a: AuditSection) => countOrNull(a.cells.failed),
    },
    audit_failed_tails: {
      label: 'Audit: 1% tails of numeric columns failing',
      read: (a: AuditSection) => countOrNull(a.tails.failed),
    },
    audit_holdout_failed: {
      label: 'Audit: cells and tails the holdout itself fails (false alarms)',
      read: (a: AuditSection) => countOrNull(a.holdout_failed),
    },
  },
  run: (ctx: SectionContext) => ok(computeAudit(ctx)),
  output: (a) => a,
  present,
});
