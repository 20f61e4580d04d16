/** `text prove` at the file edge: read real train, real test and synthetic files, prove, write reports. */

import type { LabelledText } from '../downstream.js';
import { readTextRows } from '../records.js';
import { type ProveOptions, type ProveReport, proveTexts } from './prove.js';
import { writeProveReport } from './report.js';

export interface ProveFilesOptions extends ProveOptions {
  real: string;
  test: string;
  synthetic: string;
  textField: string;
  labelField: string;
  syntheticTextField?: string;
  syntheticLabelField?: string;
  json?: string;
  html?: string;
}

async function labelled(path: string, textField: string, labelField: string): Promise<LabelledText[]> {
  const rows = await readTextRows(path, textField, labelField);
  return rows
    .filter((r) => r.label !== null && r.label !== '')
    .map((r) => ({ text: r.text, label: r.label! }));
}

export async function proveFiles(o: ProveFilesOptions): Promise<ProveReport> {
  const real = await labelled(o.real, o.textField, o.labelField);
  const test = await labelled(o.test, o.textField, o.labelField);
  const synthetic = await labelled(
    o.synthetic,
    o.syntheticTextField ?? o.textField,
    o.syntheticLabelField ?? o.labelField,
  );
  const rep = proveTexts(real, synthetic, test, o);
  await writeProveReport(rep, { json: o.json, html: o.html });
  return rep;
}
