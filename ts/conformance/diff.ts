/** A unified diff of two traces (line lists), with `context` lines around each change. */
export function unifiedDiff(a: string[], b: string[], labelA: string, labelB: string, context = 3): string {
  // Longest common subsequence table, from the end (traces are short: O(n*m) is fine).
  const n = a.length, m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  type Op = { kind: " " | "-" | "+"; line: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: " ", line: a[i], ai: i++, bi: j++ });
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ kind: "-", line: a[i], ai: i++, bi: j });
    else ops.push({ kind: "+", line: b[j], ai: i, bi: j++ });
  }
  const out = [`--- ${labelA}`, `+++ ${labelB}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].kind === " ") { k++; continue; }
    let start = Math.max(0, k - context), end = k;
    // extend the hunk while changes are closer than 2*context lines apart
    for (;;) {
      while (end < ops.length && ops[end].kind !== " ") end++;
      let next = end;
      while (next < ops.length && ops[next].kind === " " && next - end < 2 * context) next++;
      if (next < ops.length && ops[next].kind !== " ") { end = next; continue; }
      end = Math.min(ops.length, end + context);
      break;
    }
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter((o) => o.kind !== "+").length, bCount = hunk.filter((o) => o.kind !== "-").length;
    const aStart = hunk[0].ai + (aCount ? 1 : 0), bStart = hunk[0].bi + (bCount ? 1 : 0);
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.line}`);
    k = end;
  }
  return out.join("\n");
}
