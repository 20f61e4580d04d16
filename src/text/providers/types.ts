/** One interface for every text generator: template (offline), openai, ollama, replay. */
import type { Cell } from '../types.js';

export interface GenerateRequest {
  prompt: string;
  system?: string;
  cell: Cell;
  n: number;
  temperature: number;
  seed: number;
}

export interface Usage {
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
}

export interface GenerateResult {
  texts: string[];
  usage: Usage;
}

export interface TextProvider {
  readonly name: string;
  readonly model: string;
  /** `signal` cancels the request (and its retries) with `run.aborted`; it is not part of the request. */
  generate(req: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult>;
}

export function emptyUsage(): Usage {
  return { requests: 0, prompt_tokens: 0, completion_tokens: 0, cost_usd: 0 };
}

export function addUsage(into: Usage, u: Usage): Usage {
  into.requests += u.requests;
  into.prompt_tokens += u.prompt_tokens;
  into.completion_tokens += u.completion_tokens;
  into.cost_usd += u.cost_usd;
  return into;
}

/** Fill `{axis}` placeholders with the cell's values (unknown names are left as they are). */
export function fillPrompt(template: string, cell: Cell, extra: Record<string, string> = {}): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, name: string) => {
    if (Object.hasOwn(extra, name)) return extra[name];
    if (Object.hasOwn(cell, name)) return cell[name].replace(/_/g, ' ');
    return m;
  });
}
