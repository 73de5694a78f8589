// What sits around the bridge: docker-compose.yml (parsed; the commands it names exist) and
// the mixed_service example (run on loopback, one HTTP request answered by Python).
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { get } from "node:http";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { parse } from "yaml";
import { root, venvPython } from "./helpers.js";

/** GET `url`: its status and its JSON body. */
function getJson(url: string): Promise<[number, any]> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = "";
      res.on("data", (d) => (body += d)).on("end", () => resolve([res.statusCode!, JSON.parse(body)]));
    }).on("error", reject);
  });
}

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
  // Fan-out: the front end binds, the workers connect to it by its service name and port, so
  // `docker compose up --scale python-peer=4` starts four workers that all take calls.
  const front = compose.services["node-front"];
  const worker = compose.services["python-peer"];
  const port = /^tcp:\/\/0\.0\.0\.0:(\d+)$/.exec(front.environment.BRIDGE_BIND)![1];
  expect(serve).toContain(`--connect tcp://node-front:${port}`);
  expect(serve).not.toContain("--bind");
  expect(front.expose.map(String)).toContain(port);
  expect(readFileSync(join(root, /node (\S+\.mjs)/.exec(node)![1]), "utf8")).toMatch(/BRIDGE_BIND[\s\S]*fanout: true/);
  // Nothing that would stop a service from scaling: a fixed name, a host port, a bound endpoint.
  for (const key of ["container_name", "hostname", "ports"]) expect(worker[key]).toBeUndefined();
  expect(worker.depends_on).toEqual(["node-front"]);
  expect(worker.deploy?.replicas ?? 1).toBeGreaterThanOrEqual(1);
});

test("examples/mixed_service with BRIDGE_BIND spreads its calls over Python workers that connect", async () => {
  const server = spawn(process.execPath, [join(root, "examples/mixed_service/server.mjs")], {
    cwd: root, env: { ...process.env, PORT: "0", BRIDGE_BIND: "tcp://127.0.0.1:0" }, stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise((resolve) => server.once("exit", resolve));
  const workers: ReturnType<typeof spawn>[] = [];
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      createInterface({ input: server.stderr! }).on("line", (l) => {
        const m = /workers connect to (\S+)/.exec(l);
        if (m) resolve(m[1]);
      });
      server.once("exit", (c) => reject(new Error(`server exited ${c}`)));
    });
    const line = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once("line", resolve));
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1];
    for (let i = 0; i < 2; i++) {
      workers.push(spawn(venvPython, ["-m", "tulip_bridge", "serve", "--connect", endpoint, "--module", "service"], {
        cwd: root, env: { ...process.env, PYTHONPATH: [join(root, "examples/mixed_service"), join(root, "py")].join(":") },
        stdio: ["ignore", "ignore", "inherit"],
      }));
    }
    const fetchJson = (path: string) => getJson(url + path);
    // The first call waits (up to a heartbeat) for a worker to connect.
    expect(await fetchJson("/mean?xs=1,2,3,10")).toEqual([200, { mean: 4 }]);
    const answers = await Promise.all(Array.from({ length: 10 }, () => fetchJson("/mean?xs=2,4")));
    expect(answers.every(([s, b]) => s === 200 && b.mean === 3)).toBe(true);
  } finally {
    for (const w of workers) w.kill("SIGTERM");
    server.kill("SIGTERM");
    await exited;
  }
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
    const fetchJson = (path: string) => getJson(url + path);
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
