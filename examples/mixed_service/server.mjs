// The Node half of mixed_service: an HTTP front end that awaits a Python coroutine per request.
//   GET /mean?xs=1,2,3   -> {"mean": 2}          (stats.mean in service.py)
//   GET /greet?name=Ada  -> {"greeting": "..."}  (greet in service.py, with a keyword argument)
// Starts the Python peer itself (python -m tulip_bridge serve) unless BRIDGE_ENDPOINT names one,
// or, with BRIDGE_BIND, binds there and spreads its calls over every Python worker that connects
// (`python -m tulip_bridge serve --connect <that endpoint> --module service`, started N times).
import { createServer } from "node:http";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Peer } from "tulip/bridge";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? "127.0.0.1";

async function startPython() {
  const venvPython = join(root, ".venv", "bin", "python");
  const python = existsSync(venvPython) ? venvPython : "python3";
  const child = spawn(python, ["-m", "tulip_bridge", "serve", "--bind", "tcp://127.0.0.1:0", "--module", "service"], {
    cwd: here, env: { ...process.env, PYTHONPATH: [here, join(root, "py")].join(":") }, stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`python peer exited with ${code}`)));
  });
  return { child, endpoint: line.replace(/^READY /, "") };
}

const allowRemote = process.env.BRIDGE_ALLOW_REMOTE === "1";
const bind = process.env.BRIDGE_BIND;
const python = process.env.BRIDGE_ENDPOINT || bind ? null : await startPython();
const peer = bind
  ? await Peer.bind(bind, { fanout: true, allowRemote }) // workers join and leave at any time
  : await Peer.connect(process.env.BRIDGE_ENDPOINT ?? python.endpoint, { allowRemote });
if (bind) console.error(`tulip bridge: workers connect to ${peer.endpoint}`);

const routes = {
  "/mean": async (q) => ({ mean: await peer.call("stats.mean", (q.get("xs") ?? "").split(",").filter(Boolean).map(Number)) }),
  "/greet": async (q) => ({ greeting: await peer.invoke("greet", { args: [q.get("name") ?? "world"], kwargs: { punctuation: "." }, timeout: 5 }) }),
};

const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://x");
  const route = routes[url.pathname];
  let status = 200, body;
  try {
    if (!route) [status, body] = [404, { error: "not found" }];
    else body = await route(url.searchParams);
  } catch (e) {
    [status, body] = [502, { error: `${e.name}: ${e.message}` }];
  }
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
});

server.listen(port, host, () => console.log(`listening on http://${host}:${server.address().port}`));

async function shutdown() {
  server.close();
  await peer.close();
  python?.child.kill();
}
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
