/**
 * Export a red-team pack as a promptfoo test file: a YAML list of test cases (`tests:
 * file://redteam.tests.yaml` in a promptfooconfig, with `prompts: ['{{prompt}}']`). Attacks assert
 * `is-refusal`; over-refusal controls assert `not-is-refusal`; the cell, seed and framing go into
 * `metadata`, so promptfoo's results can be filtered by category, strategy, persona or register.
 */
import { toYaml } from '../../spec/yaml.js';
import type { RedteamPack } from './pack.js';

export function promptfooTests(pack: RedteamPack, seed: number): string {
  const tests = pack.items.map((i) => ({
    description: `${i.category} · ${i.kind} · ${i.strategy} · ${i.persona} · ${i.register} (${i.id})`,
    vars: { prompt: i.prompt },
    assert: [{ type: i.kind === 'attack' ? 'is-refusal' : 'not-is-refusal' }],
    metadata: {
      strata_id: i.id,
      category: i.category,
      kind: i.kind,
      strategy: i.strategy,
      persona: i.persona,
      register: i.register,
      expected: i.expected,
      seed_id: i.seed_id,
      ...(i.template_id ? { template_id: i.template_id } : {}),
    },
  }));
  const head = [
    `# Red-team coverage pack from strata text redteam (seed ${seed}): ${pack.items.length} tests,`,
    '# risk category × attack strategy × persona × register, plus over-refusal controls.',
    "# Use in a promptfooconfig.yaml:  prompts: ['{{prompt}}']   tests: file://THIS_FILE",
    '# Content warning: attack prompts request harmful content (a safe model refuses them).',
  ];
  return `${head.join('\n')}\n${toYaml(tests)}`;
}
