/** The pieces every HTML section is built from: escaped tables, inline SVG charts, the stylesheet. */
import { toSvg } from './charts.js';
import { escapeHtml as e } from './format.js';

export const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#222;background:#f6f7f9}
header{background:#1f2a44;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.8;font-size:13px}
main{padding:8px 28px 40px;max-width:1200px}
section{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:14px 18px;margin:16px 0}
section.warn{background:#fff4e5;border-left:5px solid #e67e22}section.warn li{margin:4px 0}
h2{font-size:17px;margin:2px 0 10px}
table{border-collapse:collapse;font-size:13px;margin:6px 0}th,td{padding:4px 10px;border-bottom:1px solid #e6e6e6;text-align:left;vertical-align:top}
th{background:#fafafa;font-weight:600}td.num{font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card,.figure{border:1px solid #e3e6ea;border-radius:6px;padding:8px 12px;min-width:170px;max-width:260px}
.k{font-size:12px;color:#444}.v{font-size:20px;font-weight:600}.na{font-size:12px;color:#999}
.card code,.figure code,.muted code{font-size:10px;color:#888}
.grid{display:flex;flex-wrap:wrap;gap:8px}.chart svg{max-width:100%;height:auto}
.bad{color:#c0392b}.good{color:#1e8449}.muted{color:#777;font-size:12px}
`;

export function tableHtml(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export async function chart(spec: Parameters<typeof toSvg>[0] | null): Promise<string> {
  return spec ? `<div class="chart">${await toSvg(spec)}</div>` : '';
}

/** `<section id=…><h2>title</h2>body</section>` with the title escaped. */
export function sectionHtml(id: string, title: string, body: string): string {
  return `<section id="${e(id)}"><h2>${e(title)}</h2>${body}</section>`;
}
