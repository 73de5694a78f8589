// What sits around the bridge: docker-compose.yml (parsed; the commands it names exist) and
// the mixed_service example (run on loopback, one HTTP request answered by Python).
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { get } from "node:http";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { parse } from "yaml";
import { root, venvPython } from "./helpers.js";

test("docker-compose.yml is a valid compose file whose services' commands exist", () => {
  const compose = parse(readFileSync(join(root, "docker-compose.yml"), "utf8"));
  expect(Object.keys(compose.services).sort()).toEqual(["node-front", "python-peer"]);
  for (const svc of Object.values<any>(compose.services)) {
    expect(typeof svc.image).toBe("string");
    expect(typeof svc.command).toBe("string");
  }
  const py = compose.services["python-peer"].command as string;
  const node = compose.services["node-front"].command as string;
  // python -m tulip_bridge serve, with flags its parser knows and a module that exists
  const serve = /python -m tulip_bridge serve (.*)$/m.exec(py)![1];
  const help = execFileSync(venvPython, ["-m", "tulip_bridge", "serve", "--help"], { cwd: root, encoding: "utf8" });
  for (const flag of serve.match(/--[a-z-]+/g)!) expect(help).toContain(flag);
  const mod = /--module ([\w.]+)/.exec(serve)![1];
  expect(existsSync(join(root, compose.services["python-peer"].environment.PYTHONPATH.replace("/app/", ""), `${mod}.py`))).toBe(true);
  expect(py).toContain("pip install --no-cache-dir .");
  expect(existsSync(join(root, "pyproject.toml"))).toBe(true);
  // npm scripts and the server script it runs
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  for (const script of node.match(/npm run (\S+)/g)!.map((s) => s.split(" ")[2])) expect(pkg.scripts[script]).toBeDefined();
  expect(existsSync(join(root, /node (\S+\.mjs)/.exec(node)![1]))).toBe(true);
  expect(compose.services["node-front"].environment.BRIDGE_ENDPOINT).toBe("tcp://python-peer:5555");
  expect(compose.services["node-front"].depends_on).toEqual(["python-peer"]);
});

test("examples/mixed_service answers an HTTP request with a Python coroutine's result", async () => {
  const server = spawn(process.execPath, [join(root, "examples/mixed_service/server.mjs")], {
    cwd: root, env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise((resolve) => server.once("exit", resolve));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: server.stdout! }).once("line", resolve);
      server.once("exit", (c) => reject(new Error(`server exited ${c}`)));
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1];
    const fetchJson = (path: string) => new Promise<[number, any]>((resolve, reject) => {
      get(url + path, (res) => {
        let body = "";
        res.on("data", (d) => (body += d)).on("end", () => resolve([res.statusCode!, JSON.parse(body)]));
      }).on("error", reject);
    });
    expect(await fetchJson("/mean?xs=1,2,3,10")).toEqual([200, { mean: 4 }]);
    expect(await fetchJson("/greet?name=Ada")).toEqual([200, { greeting: "Hello, Ada. (from CPython asyncio)" }]);
    const [status, body] = await fetchJson("/mean?xs=");
    expect(status).toBe(502);
    expect(body.error).toMatch(/requires at least one data point/);
  } finally {
    server.kill("SIGTERM");
    await exited;
  }
});
