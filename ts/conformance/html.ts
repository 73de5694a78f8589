/**
 * The self-contained HTML report: a summary, the per-form, per-area table (a row per area, a
 * column per coroutine form, each cell a bar of pass / known / fail / error / timeout / skip),
 * the counts per form, and a page per scenario × form that is not a plain PASS (its status,
 * the expectation's reason, its diff or message). Pages are sections shown by `:target`, so
 * the file needs no script and no network. A run with `--python-loop uvloop` adds the section
 * "uvloop vs CPython asyncio": every scenario (or program) whose uvloop output is not
 * asyncio's, with its diff.
 */
import { cell, count, formsOf, type Counts, type Result } from "./runner.js";
import { uvloopSummary, type UvloopReport } from "./uvloop.js";

const COLORS: Record<string, string> = {
  pass: "#2e7d32", known: "#9e9d24", fixed: "#00838f", fail: "#c62828", error: "#6a1b9a", timeout: "#ef6c00", skip: "#9e9e9e",
};
const KINDS = ["pass", "fixed", "known", "fail", "error", "timeout", "skip"] as const;

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function anchor(r: Result): string {
  return `s-${r.form}-${r.id.replace(/[^a-z0-9-]/gi, "_")}`;
}

function kindOf(r: Result): (typeof KINDS)[number] {
  if (r.status === "SKIP") return "skip";
  if (r.status === "PASS") return r.expected === null ? "pass" : "fixed";
  if (r.asExpected) return "known";
  return r.status.toLowerCase() as "fail" | "error" | "timeout";
}

function bar(c: Counts): string {
  const parts = KINDS.filter((k) => c[k] > 0).map((k) =>
    `<span class="seg ${k}" style="flex:${c[k]}" title="${k}: ${c[k]}">${c[k]}</span>`);
  return `<div class="bar">${parts.join("")}</div>`;
}

function diffHtml(diff: string): string {
  return diff.split("\n").map((l) => {
    const cls = l.startsWith("@@") ? "hunk" : l.startsWith("+") ? "add" : l.startsWith("-") ? "del" : "ctx";
    return `<span class="${cls}">${esc(l)}</span>`;
  }).join("\n");
}

/** The "uvloop vs CPython asyncio" section, shown in full (it is what such a run is for). */
function uvloopHtml(report: UvloopReport): string {
  const rows = report.results.filter((r) => r.status !== "SAME").map((r) => {
    const k = r.status.toLowerCase();
    const body = r.diff !== null ? `<pre class="diff">${diffHtml(r.diff)}</pre>` : "";
    return `<li data-status="${k}"><span class="tag ${k}">${r.status}</span> ${esc(r.id)}` +
      `${r.message ? ` <span class="reason">${esc(r.message)}</span>` : ""}${body}</li>`;
  }).join("\n");
  return `<section id="uvloop"><h2>uvloop vs CPython asyncio</h2><p>${esc(uvloopSummary(report))}. ` +
    `tulip is judged against CPython asyncio's output; these are uvloop's own differences.</p><ul>\n${rows}\n</ul></section>`;
}

export function htmlReport(results: Result[], meta: {
  reference: string; mode: string; seconds: number; skipped?: Record<string, string>; uvloop?: UvloopReport;
}): string {
  const total = count(results);
  const areas = [...new Set(results.map((r) => r.area))];
  const forms = formsOf(results);
  const ran = total.total - total.skip;
  const parity = ran === 0 ? 0 : (100 * (total.pass + total.fixed)) / ran;
  const formCell = (rs: Result[]) => {
    const c = count(rs);
    return `<td>${bar(c)}<span class="cell">${esc(cell(c))}</span></td>`;
  };
  const rows = areas.map((a) => {
    const inArea = results.filter((r) => r.area === a);
    return `<tr data-area="${esc(a)}"><th><a href="#area-${esc(a)}">${esc(a)}</a></th>` +
      forms.map((f) => formCell(inArea.filter((r) => r.form === f))).join("") + "</tr>";
  }).join("\n");
  const totals = forms.map((f) => {
    const c = count(results.filter((r) => r.form === f));
    const why = meta.skipped?.[f];
    return `<tr data-form="${f}"><th>${f}</th>` + KINDS.map((k) => `<td class="n">${c[k]}</td>`).join("") +
      `<td class="n">${c.total}</td><td>${why ? `SKIP: ${esc(why)}` : ""}</td></tr>`;
  }).join("\n");
  const notable = results.filter((r) => kindOf(r) !== "pass" && !(r.status === "SKIP" && meta.skipped?.[r.form]));
  const pages = notable.map((r) => {
    const k = kindOf(r);
    const body = r.diff !== null ? `<pre class="diff">${diffHtml(r.diff)}</pre>` : r.message ? `<pre>${esc(r.message)}</pre>` : "";
    return `<section id="${anchor(r)}" class="page" data-status="${k}"><h2><span class="tag ${k}">${k.toUpperCase()}</span> ${esc(r.id)} ` +
      `<span class="form">${r.form}</span></h2>` +
      (r.reason ? `<p class="reason">Expected ${esc(r.expected ?? "")}: ${esc(r.reason)}</p>` : "") + body +
      `<p><a href="#top">back to the summary</a></p></section>`;
  }).join("\n");
  const areaLists = areas.map((a) => {
    const ids = [...new Set(results.filter((r) => r.area === a).map((r) => r.id))];
    const items = ids.map((id) => {
      const tags = forms.map((f) => {
        const r = results.find((x) => x.id === id && x.form === f);
        if (r === undefined) return "";
        const k = kindOf(r);
        const tag = `<span class="tag ${k}" title="${f}: ${k}">${f}</span>`;
        return k === "pass" || (r.status === "SKIP" && meta.skipped?.[f]) ? tag : `<a href="#${anchor(r)}">${tag}</a>`;
      }).join(" ");
      return `<li>${tags} ${esc(id)}</li>`;
    }).join("");
    return `<section id="area-${esc(a)}" class="page"><h2>${esc(a)}</h2><ul>${items}</ul><p><a href="#top">back</a></p></section>`;
  }).join("\n");
  const css = `
body{font:14px system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{padding:3px 8px;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:flex;width:360px;height:18px;border-radius:3px;overflow:hidden;background:#eee}
.seg{color:#fff;font-size:11px;text-align:center;line-height:18px;overflow:hidden}
${KINDS.map((k) => `.${k}{background:${COLORS[k]}}`).join("")}
.tag{color:#fff;border-radius:3px;padding:0 5px;font-size:12px}
.page{display:none;border-top:1px solid #ccc;margin-top:1em}.page:target{display:block}
pre{background:#f6f6f6;padding:8px;overflow:auto}.add{color:#1b5e20;background:#e8f5e9}.del{color:#b71c1c;background:#ffebee}.hunk{color:#555}
.uvloop-diff{background:#1565c0}.varies{background:#ef6c00}
.reason{font-style:italic}.cell{font-size:12px;margin-left:4px}.form{color:#555;font-size:14px}
#areas .bar{width:160px;display:inline-flex;vertical-align:middle}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tulip conformance</title><style>${css}</style></head>
<body id="top">
<h1>tulip conformance</h1>
<p id="summary" data-total="${total.total}" data-pass="${total.pass}" data-parity="${parity.toFixed(1)}">
tulip vs ${esc(meta.reference)} (${esc(meta.mode)}): <b>${total.pass + total.fixed}/${ran}</b> identical traces
(${parity.toFixed(1)}%), ${total.known} known differences, ${total.fail + total.error + total.timeout} unexpected,
${total.skip} skipped, in ${meta.seconds.toFixed(1)} s.</p>
<table id="areas"><tr><th>area</th>${forms.map((f) => `<th>${f}</th>`).join("")}</tr>
${rows}
</table>
<table id="forms"><tr><th>form</th>${KINDS.map((k) => `<th>${k}</th>`).join("")}<th>total</th><th></th></tr>
${totals}
</table>
${meta.uvloop ? uvloopHtml(meta.uvloop) : ""}
${pages}
${areaLists}
</body></html>
`;
}
