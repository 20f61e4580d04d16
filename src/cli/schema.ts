/** `strata schema` prints the spec's JSON Schema; `strata validate SPEC` checks a spec without generating. */
import type { Command } from 'commander';

export function registerSchemaCommands(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of the spec format (for editor autocompletion)')
    .action(async () => {
      const { specJsonSchema } = await import('../spec/json-schema.js');
      process.stdout.write(`${JSON.stringify(specJsonSchema(), null, 2)}\n`);
    });
  program
    .command('validate')
    .description('check a spec: schema, references, expressions, causal cycles, rules')
    .argument('<spec>', 'spec file')
    .action(async (specPath: string) => {
      const [{ loadSpec }, { validateSpec }] = await Promise.all([
        import('../spec/parse.js'),
        import('../sample/validate.js'),
      ]);
      const v = validateSpec(await loadSpec(specPath));
      const lines = v.tables.map((t) => {
        const enforced = t.rules.map((r) => `${r.name} (${r.enforcement.join('+') || 'constant'})`);
        return (
          `table ${t.table}: ${t.columns.length} columns, draw order ${t.drawOrder.join(' → ')}` +
          (enforced.length ? `\n  rules: ${enforced.join(', ')}` : '')
        );
      });
      process.stdout.write(`${specPath}: valid (hash ${v.hash})\n${lines.join('\n')}\n`);
    });
}
