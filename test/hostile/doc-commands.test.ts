/**
 * The first hour of a new user (issue 13): every `strata …` command written in README.md and
 * docs/*.md must be one the CLI takes as written — its subcommands exist and every option it names
 * is an option of that subcommand. Commands are read from fenced code blocks (a line starting with
 * `strata ` or `npx strata `, `\` continuations joined) and from inline code spans that start with
 * `strata ` in the prose and tables. Placeholders are the docs' own: `[…]` is optional (its options
 * are checked too), `a|b` lists alternatives (each is checked).
 *
 * The commands that run without data of the user's own (the bundled relational example, validate,
 * schema) are also run, through dist/ like a user.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { distIsBuilt, runStrata } from './run-strata.js';

const ROOT = join(import.meta.dirname, '../..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

interface DocCommand {
  where: string;
  text: string;
}

/** Every `strata …` command the docs write, with its file:line. */
function docCommands(): DocCommand[] {
  const out: DocCommand[] = [];
  for (const file of DOCS) {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    let fenced = false;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (/^\s*```/.test(line)) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        const m = /^\s*(?:\$\s+)?(?:npx\s+)?(strata\s.*)$/.exec(line);
        if (!m) continue;
        let text = m[1];
        let j = i;
        while (text.trimEnd().endsWith('\\') && j + 1 < lines.length)
          text = `${text.trimEnd().slice(0, -1)} ${lines[++j].trim()}`;
        out.push({ where: `${file}:${i + 1}`, text: text.replace(/\s#.*$/, '') });
        i = j;
      } else {
        for (const m of line.matchAll(/`(?:npx )?(strata [^`]+)`/g))
          out.push({ where: `${file}:${i + 1}`, text: m[1] });
      }
    }
  }
  return out;
}

/** The words of a command, with `[…]` brackets dropped (their contents are options too). */
function words(text: string): string[] {
  return text
    .replace(/[[\]]/g, ' ')
    .replace(/\\\|/g, '|')
    .split(/\s+/)
    .filter((w) => w !== '' && w !== '…' && w !== '...');
}

function optionNames(cmd: Command): Set<string> {
  const names = new Set<string>(['--help', '-h']);
  for (const o of cmd.options) {
    if (o.long) names.add(o.long);
    if (o.short) names.add(o.short);
    if (o.negate && o.long) names.add(o.long);
  }
  return names;
}

/** Problems with one documented command: unknown subcommands and options. */
function problems(program: Command, text: string): string[] {
  const ws = words(text).slice(1); // after "strata"
  const found: string[] = [];
  let cmds: Command[] = [program];
  let k = 0;
  // walk subcommands: a word naming a subcommand (or alternatives a|b|c, each one a subcommand)
  for (; k < ws.length; k++) {
    const alts = ws[k].split('|').filter(Boolean);
    const subs = cmds[0].commands;
    if (subs.length === 0 || ws[k].startsWith('-')) break;
    const next = alts.map((a) => subs.find((c) => c.name() === a || c.aliases().includes(a)));
    if (next.every((c) => c === undefined)) break;
    next.forEach((c, i) => {
      if (!c) found.push(`"${alts[i]}" is not a subcommand of "${cmds[0].name()}"`);
    });
    cmds = next.filter((c): c is Command => c !== undefined);
  }
  if (cmds[0] === program && !ws[0]?.startsWith('-')) return [`"${ws[0]}" is not a strata command`];
  for (; k < ws.length; k++) {
    const w = ws[k];
    if (!/^--?[a-zA-Z]/.test(w)) continue;
    for (const alt of w.split('|')) {
      const flag = alt.replace(/=.*$/, '').replace(/[,.;:)]+$/, '');
      if (!/^--?[a-zA-Z][\w-]*$/.test(flag)) continue;
      for (const c of cmds)
        if (!optionNames(c).has(flag))
          found.push(
            `strata ${c.parent?.name() === 'strata' ? '' : `${c.parent?.name()} `}${c.name()} has no option ${flag}`,
          );
    }
  }
  return found;
}

describe('the commands the docs write', () => {
  const commands = docCommands();

  it('are found (the docs keep their commands in code)', () => {
    expect(commands.length).toBeGreaterThan(40);
  });

  it('are checked: a misspelt subcommand or option is caught', () => {
    const program = buildProgram();
    expect(problems(program, 'strata fit d.csv -o m.yaml --refin 3')).toEqual([
      'strata fit has no option --refin',
    ]);
    expect(problems(program, 'strata text plan|generat P.yaml')).toEqual([
      '"generat" is not a subcommand of "text"',
    ]);
    expect(problems(program, 'strata evaluate --real R [--holdout H] [--gates G]')).toEqual([
      'strata evaluate has no option --gates',
    ]);
    expect(problems(program, 'strata genrate s.yaml')).toEqual(['"genrate" is not a strata command']);
  });

  it('name subcommands and options the CLI has', () => {
    const program = buildProgram();
    const bad = commands.flatMap((c) =>
      problems(program, c.text).map((p) => `${c.where}: ${p}   (${c.text})`),
    );
    expect(bad).toEqual([]);
  });
});

const work = mkdtempSync(join(tmpdir(), 'strata-doc-commands-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!distIsBuilt())('the doc commands that need no data of your own, run as written', () => {
  it('docs/relational.md: generate the bundled customer journey into out/, then validate it', async () => {
    const spec = join(ROOT, 'examples/relational/customer-journey.yaml');
    const g = await runStrata(['generate', spec, '-n', '1000', '-o', 'out/'], {
      cwd: work,
      limitMs: 120_000,
    });
    expect(g.code, g.stderr).toBe(0);
    expect(g.stdout).toMatch(/wrote 1,000 entities, [\d,]+ rows in 3 tables/);
    expect(g.stdout).toMatch(/customers: 1,000 rows × 5 columns → out\/customers\.csv/);
    const v = await runStrata(['validate', spec], { cwd: work, limitMs: 60_000 });
    expect(v.code, v.stderr).toBe(0);
  }, 200_000);
});
