// The 2014 introduction's examples: each .py and .ts prints the same lines (short timing switch).
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const root = process.cwd();
const env = { ...process.env, TULIP_EXAMPLE_INTERVAL: "0.01", TULIP_EXAMPLE_COUNT: "3" };
const run = (cmd: string, file: string) => execFileSync(cmd, [join(root, file)], { env, encoding: "utf8", timeout: 20000 });

test.each([
  ["hello_callbacks", ["Hello World", "Hello World", "Hello World"]],
  ["greet", ["Hello World", "How are you?", "Hello World", "How are you?", "Hello World", "How are you?"]],
])("examples/%s: Python and TypeScript print the same lines", (name, expected) => {
  const pyOut = run("python3", `examples/${name}/${name}.py`);
  const tsOut = run(process.execPath, `dist/examples/${name}/${name}.js`);
  expect(tsOut).toBe(pyOut);
  expect(tsOut.trim().split("\n")).toEqual(expected);
});
