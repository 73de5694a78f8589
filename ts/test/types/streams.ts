// Streams, servers, sockets and subprocesses.
import * as asyncio from "tulip";
import { StreamReader, StreamWriter, type InetAddr } from "tulip";
import { expectType } from "./_expect.js";

async function handle(reader: StreamReader, writer: StreamWriter): Promise<void> {
  const line = await reader.readline();
  expectType<Uint8Array>()(line);
  writer.write(line);
  await writer.drain();
  writer.close();
  await writer.wait_closed();
}

export async function main(): Promise<void> {
  const server = await asyncio.start_server(handle, "127.0.0.1", 0);
  const sock = server.sockets[0]!;
  expectType<InetAddr>()(sock.getsockname());
  const port: number = sock.getsockname()[1];
  const [host, port2] = sock.getsockname();
  expectType<string>()(host);
  expectType<number>()(port2);

  const [reader, writer] = await asyncio.open_connection("127.0.0.1", port);
  expectType<StreamReader>()(reader);
  expectType<StreamWriter>()(writer);
  expectType<Uint8Array>()(await reader.read(100));
  expectType<Uint8Array>()(await reader.readexactly(4));
  expectType<Uint8Array>()(await reader.readuntil("\n"));
  expectType<Uint8Array>()(await asyncio.wait_for(reader.read(), 1));
  for await (const chunk of reader) expectType<Uint8Array>()(chunk);
  // @ts-expect-error read() gives bytes, not a string
  const text: string = await reader.read();

  // a unix server's socket names are paths
  const unix = await asyncio.start_unix_server(handle, "/tmp/tulip-types.sock");
  expectType<string>()(unix.sockets[0]!.getsockname());
  // @ts-expect-error a path has no port
  const p: number = unix.sockets[0]!.getsockname()[1];

  // create_subprocess_exec: the options object after the arguments is typed
  const proc = await asyncio.create_subprocess_exec("python3", "-c", "print(1)", { stdout: asyncio.subprocess.PIPE, cwd: "/tmp" });
  expectType<asyncio.subprocess.Process>()(proc);
  const [out, err] = await proc.communicate();
  expectType<Uint8Array | null>()(out);
  expectType<number>()(await proc.wait());
  await asyncio.create_subprocess_exec("ls");
  await asyncio.create_subprocess_shell("ls | wc -l", { stdout: asyncio.subprocess.PIPE, limit: 1 << 20 });
  // @ts-expect-error cwd is a string
  await asyncio.create_subprocess_exec("ls", "-l", { cwd: 5 });
  // @ts-expect-error no such option
  await asyncio.create_subprocess_exec("ls", { stdot: asyncio.subprocess.PIPE });
  // @ts-expect-error the options come last
  await asyncio.create_subprocess_exec("ls", { stdout: asyncio.subprocess.PIPE }, "-l");
  // @ts-expect-error arguments are text or bytes
  await asyncio.create_subprocess_exec("sleep", 1);
}
