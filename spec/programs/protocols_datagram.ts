// UDP over loopback with create_datagram_endpoint: a ping and its pong.
import * as asyncio from "tulip";

class Pong extends asyncio.DatagramProtocol {
  transport!: asyncio.DatagramTransport;

  override connection_made(transport: asyncio.DatagramTransport): void {
    this.transport = transport;
  }

  override datagram_received(data: Uint8Array, addr: unknown): void {
    console.log("server got", Buffer.from(data).toString());
    this.transport.sendto(Buffer.from(Buffer.from(data).toString().replace("ping", "pong")), addr as [string, number]);
  }
}

class Ping extends asyncio.DatagramProtocol {
  constructor(private answer: asyncio.Future<string>) {
    super();
  }

  override connection_made(transport: asyncio.DatagramTransport): void {
    transport.sendto(Buffer.from("ping 1"));
  }

  override datagram_received(data: Uint8Array, _addr: unknown): void {
    this.answer.set_result(Buffer.from(data).toString());
  }

  override connection_lost(exc: unknown): void {
    console.log("client connection_lost", exc === null ? "None" : exc);
  }
}

async function main(): Promise<void> {
  const loop = asyncio.get_running_loop() as asyncio.NodeEventLoop;
  const [server] = await loop.create_datagram_endpoint(Pong, { local_addr: ["127.0.0.1", 0] });
  const port = (server.get_extra_info("sockname") as [string, number])[1];
  const answer = loop.create_future<string>();
  const [client] = await loop.create_datagram_endpoint(() => new Ping(answer), { remote_addr: ["127.0.0.1", port] });
  console.log("client got", await answer);
  client.close();
  await asyncio.sleep(0);
  server.close();
}

await asyncio.run(main());
