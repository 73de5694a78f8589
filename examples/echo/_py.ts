// What the examples need to print as their Python twins do: Python's str() of a tuple and
// repr() of a str. (Not part of tulip's API: each example is self-contained otherwise.)
export const pyStr = (x: unknown): string =>
  Array.isArray(x) ? `(${x.map((v) => (typeof v === "string" ? `'${v}'` : String(v))).join(", ")})` : String(x);
export const pyRepr = (s: string): string => (s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`);
export const PORT = Number(process.argv[2] ?? process.env.ECHO_PORT ?? 8888);
