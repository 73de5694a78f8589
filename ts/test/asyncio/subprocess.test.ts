// Subprocesses: create_subprocess_exec/shell, Process, SubprocessProtocol callback order —
// each against what CPython 3.11 prints for the same program.
import * as asyncio from "../../asyncio/index.js";
import { DEVNULL, PIPE, STDOUT } from "../../asyncio/subprocess.js";
import { cpython, py } from "../helpers/cpython.js";

const text = (b: Uint8Array | null) => (b === null ? "None" : JSON.stringify(Buffer.from(b).toString()));
const CHILD = "import sys; data = sys.stdin.read(); sys.stdout.write(data.upper()); sys.stdout.flush(); sys.stderr.write('warn\\n'); sys.exit(3)";

test("communicate(), returncode, stderr=STDOUT, DEVNULL, kill, a missing program", async () => {
  const out: string[] = [];
  await asyncio.run(asyncio.coroutine(async function main() {
    const p = await asyncio.create_subprocess_exec("python3", "-c", CHILD, { stdin: PIPE, stdout: PIPE, stderr: PIPE });
    const [o, e] = await p.communicate(Buffer.from("hello"));
    out.push(`communicate ${text(o)} ${text(e)} rc=${p.returncode}`);
    const q = await asyncio.create_subprocess_shell("echo one; echo two 1>&2", { stdout: PIPE, stderr: STDOUT });
    out.push(`merged ${text(await q.stdout!.read())} rc=${await q.wait()}`);
    const d = await asyncio.create_subprocess_exec("python3", "-c", CHILD, { stdin: PIPE, stdout: DEVNULL, stderr: DEVNULL });
    const [o2, e2] = await d.communicate(Buffer.from("x"));
    out.push(`devnull ${text(o2)} ${text(e2)} rc=${d.returncode}`);
    const k = await asyncio.create_subprocess_exec("sleep", "30");
    k.kill();
    out.push(`killed rc=${await k.wait()}`);
    try { await asyncio.create_subprocess_exec("nonexistent-tulip-program"); } catch (ex) { out.push(`${(ex as Error).name}: ${(ex as Error).message}`); }
    const r = await asyncio.create_subprocess_exec("python3", "-c", "print(input())", { stdin: PIPE, stdout: PIPE });
    r.stdin!.write(Buffer.from("line from parent\n"));
    await r.stdin!.drain();
    out.push(`readline ${text(await r.stdout!.readline())}`);
    r.stdin!.close();
    out.push(`rc=${await r.wait()}`);
  })());
  expect(out).toEqual(cpython(py`
    import asyncio, json
    from asyncio.subprocess import PIPE, STDOUT, DEVNULL
    text = lambda b: "None" if b is None else json.dumps(b.decode())
    CHILD = ${JSON.stringify(CHILD)}
    async def main():
        p = await asyncio.create_subprocess_exec("python3", "-c", CHILD, stdin=PIPE, stdout=PIPE, stderr=PIPE)
        o, e = await p.communicate(b"hello")
        print(f"communicate {text(o)} {text(e)} rc={p.returncode}")
        q = await asyncio.create_subprocess_shell("echo one; echo two 1>&2", stdout=PIPE, stderr=STDOUT)
        print(f"merged {text(await q.stdout.read())} rc={await q.wait()}")
        d = await asyncio.create_subprocess_exec("python3", "-c", CHILD, stdin=PIPE, stdout=DEVNULL, stderr=DEVNULL)
        o2, e2 = await d.communicate(b"x")
        print(f"devnull {text(o2)} {text(e2)} rc={d.returncode}")
        k = await asyncio.create_subprocess_exec("sleep", "30")
        k.kill()
        print(f"killed rc={await k.wait()}")
        try: await asyncio.create_subprocess_exec("nonexistent-tulip-program")
        except Exception as ex: print(f"{type(ex).__name__}: {ex}")
        r = await asyncio.create_subprocess_exec("python3", "-c", "print(input())", stdin=PIPE, stdout=PIPE)
        r.stdin.write(b"line from parent\\n")
        await r.stdin.drain()
        print(f"readline {text(await r.stdout.readline())}")
        r.stdin.close()
        print(f"rc={await r.wait()}")
    asyncio.run(main())
  `));
});

test("SubprocessProtocol: connection_made, pipe data, pipe_connection_lost, process_exited, connection_lost in CPython's order", async () => {
  const out: string[] = [];
  await asyncio.run(asyncio.coroutine(async function main() {
    const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
    const done = loop.create_future();
    class P extends asyncio.SubprocessProtocol {
      override connection_made(t: unknown) { out.push(`connection_made pid=${typeof (t as asyncio.SubprocessTransport).get_pid()}`); }
      override pipe_data_received(fd: number, data: Uint8Array) { out.push(`pipe_data_received ${fd} ${text(data)}`); }
      override pipe_connection_lost(fd: number, exc: unknown) { out.push(`pipe_connection_lost ${fd} ${exc}`); }
      override process_exited() { out.push("process_exited"); }
      override connection_lost(exc: unknown) { out.push(`connection_lost ${exc}`); done.set_result(null); }
    }
    const [transport] = await loop.subprocess_exec(P, "python3", "-c", "import sys; sys.stdout.write('out'); sys.stdout.flush(); sys.stderr.write('err'); sys.stderr.flush(); sys.stdin.read(); sys.exit(5)");
    out.push(`transport returncode=${transport.get_returncode()}`);
    transport.get_pipe_transport(0)!.close();
    await done;
    out.push(`returncode=${transport.get_returncode()}`);
    transport.close();
    try { await loop.subprocess_shell(P, ["ls"] as never); } catch (e) { out.push(`${(e as Error).name}: ${(e as Error).message}`); }
    try { await loop.subprocess_exec(P, "ls", { text: true } as never); } catch (e) { out.push(`${(e as Error).name}: ${(e as Error).message}`); }
  })());
  const expected = cpython(py`
    import asyncio, json
    text = lambda b: json.dumps(b.decode())
    async def main():
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        class P(asyncio.SubprocessProtocol):
            def connection_made(self, t): print(f"connection_made pid={'number' if isinstance(t.get_pid(), int) else '?'}")
            def pipe_data_received(self, fd, data): print(f"pipe_data_received {fd} {text(data)}")
            def pipe_connection_lost(self, fd, exc): print(f"pipe_connection_lost {fd} {'null' if exc is None else exc}")
            def process_exited(self): print("process_exited")
            def connection_lost(self, exc): print(f"connection_lost {'null' if exc is None else exc}"); done.set_result(None)
        transport, _ = await loop.subprocess_exec(P, "python3", "-c", "import sys; sys.stdout.write('out'); sys.stdout.flush(); sys.stderr.write('err'); sys.stderr.flush(); sys.stdin.read(); sys.exit(5)")
        print(f"transport returncode={transport.get_returncode()}")
        transport.get_pipe_transport(0).close()
        await done
        print(f"returncode={transport.get_returncode()}")
        transport.close()
        try: await loop.subprocess_shell(P, ["ls"])
        except Exception as e: print(f"{type(e).__name__}: {e}")
        try: await loop.subprocess_exec(P, "ls", text=True)
        except Exception as e: print(f"{type(e).__name__}: {e}")
    asyncio.run(main())
  `).map((l) => l.replace("returncode=None", "returncode=null"));
  // stdout and stderr are two pipes: which one the loop reads first is up to the OS, in
  // CPython as here; compare the rest in order and those two as a set.
  const norm = (lines: string[]) => {
    const data = lines.filter((l) => l.startsWith("pipe_data_received")).sort();
    return [lines.filter((l) => !l.startsWith("pipe_data_received") && !l.startsWith("pipe_connection_lost 1") && !l.startsWith("pipe_connection_lost 2")), data,
      lines.filter((l) => /^pipe_connection_lost [12]/.test(l)).sort()];
  };
  expect(norm(out)).toEqual(norm(expected));
  expect(out[0]).toBe(expected[0]);
  expect(out.indexOf("process_exited")).toBeLessThan(out.findIndex((l) => l.startsWith("connection_lost")));
});

test("asyncio.subprocess is a namespace as ported code spells it: PIPE, STDOUT, DEVNULL, Process, create_subprocess_exec", async () => {
  expect(asyncio.subprocess.PIPE).toBe(PIPE);
  expect(asyncio.subprocess.STDOUT).toBe(STDOUT);
  expect(asyncio.subprocess.DEVNULL).toBe(DEVNULL);
  const out = await asyncio.run(asyncio.coroutine(async function main() {
    const proc = await asyncio.create_subprocess_exec("echo", "hi", { stdout: asyncio.subprocess.PIPE });
    expect(proc).toBeInstanceOf(asyncio.subprocess.Process);
    const [stdout] = await proc.communicate();
    return Buffer.from(stdout!).toString();
  }));
  expect(out).toBe("hi\n");
  expect(asyncio.subprocess.create_subprocess_shell).toBe(asyncio.create_subprocess_shell);
});
