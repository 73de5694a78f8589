// examples/echo: every pairing of the Python and TypeScript echo servers and clients
// (protocols and streams) talks over loopback and prints the same lines as Python ↔ Python.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fixtures } from "./_net.js";

const root = join(fixtures, "..", "..", "..", "..");
const SIGINT_GRACE_MS = 10000;

interface Proc {
  out: () => string;
  exited: Promise<{ code: number | null; sig: string | null }>;
  kill: (sig: NodeJS.Signals) => void;
}

function start(file: string, arg: string): Proc {
  const [cmd, args] = file.endsWith(".py")
    ? ["python3", ["-u", join(root, "examples", "echo", file), arg]]
    : [process.execPath, [join(root, "dist", "examples", "echo", file.replace(/\.ts$/, ".js")), arg]];
  const p = spawn(cmd, args as string[], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  p.stdout.on("data", (d) => (out += d));
  p.stderr.on("data", (d) => (err += d));
  const exited = new Promise<{ code: number | null; sig: string | null }>((r) => p.on("exit", (code, sig) => r({ code, sig })));
  return { out: () => out + (err ? `STDERR ${err}` : ""), exited, kill: (sig) => p.kill(sig) };
}

/** Server on port 0, the client on the port it prints, then Ctrl-C for the server; both outputs, ports masked. */
async function pair(server: string, client: string): Promise<{ server: string[]; client: string[] }> {
  const s = start(server, "0");
  let port: string | undefined;
  const t0 = Date.now();
  while (port === undefined) {
    port = /\('127\.0\.0\.1', (\d+)\)/.exec(s.out())?.[1];
    if (port === undefined) {
      if (Date.now() - t0 > 15000) throw new Error(`${server} did not print its address: ${s.out()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const c = start(client, port);
  expect((await c.exited).code).toBe(0);
  // The server prints its last line when it has closed the connection: wait for it, not a clock.
  while (!/Close the connection|data received/.test(s.out()) && Date.now() - t0 < 15000) await new Promise((r) => setTimeout(r, 20));
  s.kill("SIGINT");
  const timer = setTimeout(() => s.kill("SIGKILL"), SIGINT_GRACE_MS);
  const r = await s.exited;
  clearTimeout(timer);
  expect(r.code).toBe(0);
  const mask = (text: string) => text.replace(/('127\.0\.0\.1', )\d+/g, "$1PORT").split("\n").filter((l) => l !== "");
  return { server: mask(s.out()), client: mask(c.out()) };
}

// `npm test` builds the examples (tsconfig.examples.json); a bare Jest run builds them here.
beforeAll(() => {
  if (!existsSync(join(root, "dist", "examples", "echo", "protocol_server.js"))) {
    execFileSync("npx", ["tsc", "-p", "tsconfig.examples.json"], { cwd: root, stdio: "inherit" });
  }
}, 120000);

for (const style of ["protocol", "stream"]) {
  describe(`${style} echo`, () => {
    let reference: { server: string[]; client: string[] };
    beforeAll(async () => {
      reference = await pair(`${style}_server.py`, `${style}_client.py`);
    }, 30000);

    test("Python ↔ Python prints the talk's lines", () => {
      const msg = "This is the message. It will be echoed.";
      if (style === "protocol") {
        expect(reference.client).toEqual([`data sent: ${msg}`, `data received: ${msg}`, "server closed the connection"]);
        expect(reference.server).toEqual(["serving on ('127.0.0.1', PORT)", "connection from ('127.0.0.1', PORT)", `data received: ${msg}`, "exit"]);
      } else {
        expect(reference.client).toEqual([`Send: '${msg}'`, `Received: '${msg}'`, "Close the connection"]);
        expect(reference.server[0]).toBe("Serving on ('127.0.0.1', PORT)");
        expect(reference.server.at(-1)).toBe("exit");
      }
    });

    for (const [server, client] of [["ts", "py"], ["py", "ts"], ["ts", "ts"]]) {
      test(`${server} server ↔ ${client} client`, async () => {
        const got = await pair(`${style}_server.${server}`, `${style}_client.${client}`);
        expect(got).toEqual(reference);
      }, 30000);
    }
  });
}
