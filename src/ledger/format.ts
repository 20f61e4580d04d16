/** Plain-text views of the ledger for a terminal: log lines, one entry in full, a trace, a verdict. */
import type { CheckRowResult } from './check-row.js';
import type { LedgerEntry } from './entry.js';
import { keyFingerprint } from './sign.js';
import type { Trace, TracedRun } from './trace.js';
import { reproduceCommand } from './trace.js';
import type { VerifyReport } from './verify.js';

const short = (h: string) => h.slice(0, 12);
const num = (v: unknown) =>
  typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(4)) : 'n/a';

function gateOf(e: LedgerEntry): { passed: boolean; file: string } | undefined {
  const g = (e.result as Record<string, unknown>).gate as
    | { passed?: boolean; file?: string }
    | null
    | undefined;
  return g && typeof g.passed === 'boolean' ? { passed: g.passed, file: String(g.file) } : undefined;
}

/** What a run produced, in a few words. */
export function entryGist(e: LedgerEntry): string {
  const r = e.result as Record<string, unknown>;
  const out = e.outputs?.[0];
  const gate = gateOf(e);
  // A relational run (several tables, or a panel): its tables, and every file written.
  const tables = r.tables && typeof r.tables === 'object' ? Object.keys(r.tables).length : 0;
  if (tables > 0 && (e.command === 'generate' || e.command === 'fit'))
    return `${num(r.rows)} rows in ${tables} table${tables === 1 ? '' : 's'} → ${e.outputs.map((o) => o.path).join(', ') || '?'}`;
  switch (e.command) {
    case 'generate':
      return `${num(r.rows)} rows → ${out?.path ?? '?'}`;
    case 'fit':
      return `${num(r.rows)} rows, ${num(r.columns)} columns → ${out?.path ?? '?'}`;
    case 'evaluate': {
      const s = (r.summary ?? {}) as Record<string, unknown>;
      const syn = e.inputs.find((i) => i.role === 'synthetic')?.path ?? '?';
      return `${syn}: detection AUC ${num(s.detection_auc)}, DCR share ${num(s.dcr_share)}${gate ? `, gate ${gate.passed ? 'passed' : 'FAILED'}` : ''}`;
    }
    default:
      return `${out ? `→ ${out.path}` : ''}${gate ? ` gate ${gate.passed ? 'passed' : 'FAILED'}` : ''}`;
  }
}

/** One line per entry. */
export function formatLog(entries: readonly LedgerEntry[]): string {
  return entries
    .map(
      (e) =>
        `#${String(e.seq).padEnd(4)} ${e.run}  ${e.command.padEnd(13)} ${entryGist(e)}${e.signer ? '  [signed]' : ''}${e.reproduces ? `  (reproduces ${e.reproduces})` : ''}`,
    )
    .join('\n')
    .concat(entries.length ? '\n' : '');
}

function files(label: string, fs: LedgerEntry['inputs']): string[] {
  if (!fs?.length) return [];
  return [
    `${label}:`,
    ...fs.map(
      (f) =>
        `  ${f.role.padEnd(11)} ${f.path}  sha256 ${short(f.sha256)}…  ${f.bytes.toLocaleString('en-US')} bytes${f.rows !== undefined ? `, ${f.rows.toLocaleString('en-US')} rows` : ''}`,
    ),
  ];
}

/** An entry in full, readable. */
export function formatEntry(e: LedgerEntry, ledgerPath: string): string {
  const lines = [
    `entry #${e.seq}  run ${e.run}`,
    `  command   ${e.command}   (strata ${e.strata}, node ${e.node})`,
    `  when      ${e.time}`,
    `  seed      ${e.seed ?? 'n/a'}`,
    `  hash      ${e.hash}`,
    `  prev      ${e.prev ?? '(first entry)'}`,
    ...(e.signer ? [`  signed by ed25519 key ${keyFingerprint(e.signer.key)}`] : []),
    ...(e.reproduces ? [`  reproduces run ${e.reproduces}`] : []),
    `  reproduce ${reproduceCommand(e, ledgerPath)}`,
    ...files('inputs', e.inputs),
    ...files('outputs', e.outputs),
    'params:',
    ...Object.entries(e.params ?? {}).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`),
    'result:',
    ...Object.entries(e.result ?? {})
      .filter(([k]) => k !== 'spec')
      .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`),
  ];
  return `${lines.join('\n')}\n`;
}

function runLines(t: TracedRun, indent: string): string[] {
  const e = t.entry;
  const gate = gateOf(e);
  const out = [
    `${indent}made by entry #${e.seq} ${e.command} (run ${e.run}, ${e.time})${gate ? ` — gate ${gate.passed ? 'passed' : 'FAILED'}` : ''}`,
    `${indent}  reproduce: ${t.reproduce}`,
  ];
  for (const i of t.inputs) {
    out.push(`${indent}  ${i.role}: ${i.path}  sha256 ${short(i.sha256)}…  (${i.status})`);
    if (i.madeBy) out.push(...runLines(i.madeBy, `${indent}    `));
  }
  return out;
}

export function formatTrace(t: Trace): string {
  const lines = [`${t.file}  sha256 ${short(t.sha256)}…`];
  if (t.madeBy) lines.push(...runLines(t.madeBy, '  '));
  else lines.push('  no run in the ledger wrote these bytes');
  for (const u of t.usedBy) {
    const gate = gateOf(u.entry);
    lines.push(
      `  used as ${u.role} by entry #${u.entry.seq} ${u.entry.command} (run ${u.entry.run}): ${entryGist(u.entry)}${gate ? ` [${gate.file}]` : ''}`,
    );
  }
  for (const e of t.otherBytesAtPath)
    lines.push(`  note: entry #${e.seq} (run ${e.run}) wrote other bytes to this path`);
  return `${lines.join('\n')}\n`;
}

export function formatVerify(r: VerifyReport, ledgerPath: string): string {
  const lines: string[] = [];
  const n = r.entries.length;
  const checked = r.files.filter((f) => f.status === 'ok').length;
  const missing = r.files.filter((f) => f.status === 'missing');
  if (r.ok) {
    lines.push(
      `${ledgerPath}: intact — ${n} entr${n === 1 ? 'y' : 'ies'}, chain and head agree; ${checked} output file${checked === 1 ? '' : 's'} match${checked === 1 ? 'es' : ''} the recorded bytes`,
    );
    if (n) lines.push(`head: #${r.entries[n - 1].seq} ${r.entries[n - 1].hash}`);
  } else {
    lines.push(
      `${ledgerPath}: NOT intact — ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}:`,
    );
    for (const p of r.problems) lines.push(`  - ${p.message}`);
  }
  if (r.signers.length) lines.push(`signed by: ${r.signers.map((s) => `ed25519 key ${s}`).join(', ')}`);
  for (const m of missing)
    lines.push(
      `  note: output ${m.path} of entry #${m.entry} is not on disk (moved or deleted); not checked`,
    );
  return `${lines.join('\n')}\n`;
}

export function formatCheckRow(r: CheckRowResult): string {
  const head = `row ${r.row}: run ${r.entry.run} (entry #${r.entry.seq}), block ${r.block}, row ${r.index} of the block`;
  if (r.match) return `${head}\nredrawn: identical (${r.ms.toFixed(1)} ms)\n`;
  const diffs = r.differ.map((c) =>
    c === '(bytes)'
      ? '  the values agree but the bytes differ (formatting changed)'
      : `  ${c}: file ${JSON.stringify(r.file[c] ?? null)}, redrawn ${JSON.stringify(r.redrawn[c] ?? null)}`,
  );
  return `${head}\nredrawn: DIFFERENT (${r.ms.toFixed(1)} ms)\n${diffs.join('\n')}\n`;
}
