/** `strata schema` prints the spec's JSON Schema; `strata validate SPEC` checks a spec without generating. */
import type { Command } from 'commander';
import { compileModel } from '../coverage/quantile.js';
import { loadSpec, specJsonSchema } from '../spec/index.js';

export function registerSchemaCommands(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of the spec format (for editor autocompletion)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(specJsonSchema(), null, 2)}\n`);
    });
  program
    .command('validate')
    .description('check a spec: schema, references, expressions, causal cycles, rules')
    .argument('<spec>', 'spec file')
    .action(async (specPath: string) => {
      const loaded = await loadSpec(specPath);
      const locator = {
        file: specPath,
        locate: (p: readonly (string | number)[]) => loaded.source.locate(p),
      };
      const lines: string[] = [];
      for (const table of Object.keys(loaded.spec.tables)) {
        const m = compileModel(loaded.spec, table, { locator });
        const enforced = m.rules.map(
          (r) => `${r.name} (${[...new Set(r.enforcement)].join('+') || 'constant'})`,
        );
        lines.push(
          `table ${table}: ${m.columns.length} columns, draw order ${m.order.map((i) => m.columns[i].name).join(' → ')}` +
            (enforced.length ? `\n  rules: ${enforced.join(', ')}` : ''),
        );
      }
      process.stdout.write(`${specPath}: valid (hash ${loaded.hash})\n${lines.join('\n')}\n`);
    });
}
