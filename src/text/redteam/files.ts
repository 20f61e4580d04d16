/** `text redteam` at the file edge: seeds (bundled or from paths) → pack → JSONL, promptfoo YAML, audit JSON. */
import { writeTextAtomic } from '../../io/index.js';
import { writeJsonl } from '../records.js';
import { auditRedteamPack, type RedteamAudit } from './audit.js';
import { loadJailbreakTemplates, loadXstest } from './load.js';
import { buildRedteamPack, type RedteamOptions, type RedteamPack } from './pack.js';
import { promptfooTests } from './promptfoo.js';
import { builtinSeeds, type SeedSet } from './seeds.js';

export interface RedteamFilesOptions extends RedteamOptions {
  /** XSTest prompts CSV: replaces the bundled seeds. */
  xstest?: string;
  /** Jailbreak templates CSV (text column with [INSERT PROMPT HERE]): replaces the bundled templates. */
  templates?: string;
  jsonl?: string;
  promptfoo?: string;
  audit?: string;
}

export async function redteamFiles(
  o: RedteamFilesOptions,
): Promise<{ pack: RedteamPack; audit: RedteamAudit }> {
  const builtin = builtinSeeds();
  const set: SeedSet = {
    seeds: o.xstest ? await loadXstest(o.xstest) : builtin.seeds,
    templates: o.templates ? await loadJailbreakTemplates(o.templates) : builtin.templates,
  };
  const pack = await buildRedteamPack(set, o);
  const audit = await auditRedteamPack(pack);
  if (o.jsonl) await writeJsonl(o.jsonl, pack.items);
  if (o.promptfoo) await writeTextAtomic(o.promptfoo, promptfooTests(pack, o.seed ?? 1));
  if (o.audit)
    await writeTextAtomic(o.audit, `${JSON.stringify({ kind: 'text-redteam-audit', ...audit }, null, 2)}\n`);
  return { pack, audit };
}
