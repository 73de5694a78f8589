// eof_received() returning True keeps the transport open: the server answers after the client's EOF.
import * as asyncio from "tulip";

class Summer extends asyncio.Protocol {
  transport!: asyncio.Transport;
  total = 0;

  override connection_made(transport: asyncio.Transport): void {
    this.transport = transport;
    this.total = 0;
  }

  override data_received(data: Uint8Array): void {
    this.total += Buffer.from(data).toString().split(/\s+/).filter((x) => x !== "").reduce((a, x) => a + Number(x), 0);
  }

  override eof_received(): boolean {
    this.transport.write(Buffer.from(`sum=${this.total}`));
    this.transport.close();
    return true;
  }
}

class Client extends asyncio.Protocol {
  chunks: Uint8Array[] = [];
  constructor(private done: asyncio.Future<string>) {
    super();
  }

  override connection_made(transport: asyncio.Transport): void {
    transport.write(Buffer.from("1 2 3 "));
    transport.write(Buffer.from("4 5"));
    console.log("client can write EOF:", transport.can_write_eof() ? "True" : "False");
    transport.write_eof();
  }

  override data_received(data: Uint8Array): void {
    this.chunks.push(data);
  }

  override eof_received(): void {
    console.log("client: eof_received");
  }

  override connection_lost(_exc: unknown): void {
    this.done.set_result(Buffer.concat(this.chunks).toString());
  }
}

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
  const server = await loop.create_server(Summer, "127.0.0.1", 0);
  const port = (server.sockets[0].getsockname() as [string, number])[1];
  const done = loop.create_future<string>();
  await loop.create_connection(() => new Client(done), "127.0.0.1", port);
  console.log("the server answered", await done);
  server.close();
  await server.wait_closed();
}

await asyncio.run(main());
