// create_server / create_connection with Protocol classes: each side's callbacks, in order.
import * as asyncio from "tulip";

class EchoServer extends asyncio.Protocol {
  transport!: asyncio.Transport;
  constructor(private log: string[], private lost: asyncio.Future<null>) {
    super();
  }

  override connection_made(transport: asyncio.Transport): void {
    this.transport = transport;
    this.log.push("server: connection_made");
  }

  override data_received(data: Uint8Array): void {
    this.log.push(`server: data_received ${Buffer.from(data).toString()}`);
    this.transport.write(Buffer.from(data).reverse());
  }

  override eof_received(): void {
    this.log.push("server: eof_received");
  }

  override connection_lost(exc: unknown): void {
    this.log.push(`server: connection_lost ${exc === null ? "None" : exc}`);
    this.lost.set_result(null);
  }
}

class Client extends asyncio.Protocol {
  constructor(private got: asyncio.Future<Uint8Array>, private lost: asyncio.Future<null>) {
    super();
  }

  override connection_made(transport: asyncio.Transport): void {
    console.log("client: connection_made");
    transport.write(Buffer.from("stressed"));
  }

  override data_received(data: Uint8Array): void {
    console.log("client: data_received", Buffer.from(data).toString());
    this.got.set_result(data);
  }

  override connection_lost(exc: unknown): void {
    console.log("client: connection_lost", exc === null ? "None" : exc);
    this.lost.set_result(null);
  }
}

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
  const server_log: string[] = [];
  const server_lost = loop.create_future<null>();
  const server = await loop.create_server(() => new EchoServer(server_log, server_lost), "127.0.0.1", 0);
  const port = (server.sockets[0].getsockname() as [string, number])[1];
  const got = loop.create_future<Uint8Array>();
  const client_lost = loop.create_future<null>();
  const [transport, protocol] = await loop.create_connection(() => new Client(got, client_lost), "127.0.0.1", port);
  console.log("create_connection returned our protocol:", protocol instanceof Client ? "True" : "False");
  await got;
  transport.close();
  await client_lost;
  await server_lost;
  for (const line of server_log) {
    console.log(line);
  }
  server.close();
  await server.wait_closed();
}

await asyncio.run(main());
