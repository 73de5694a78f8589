"""A rate-limited web crawler against a local HTTP server, in the style of the asyncio crawler
examples: a queue of URLs, a few worker tasks, a Semaphore that caps requests in flight and a
pause per request (the rate limit), HTTP/1.0 over asyncio streams. The server is asyncio's own
start_server on 127.0.0.1 (an ephemeral port), so nothing leaves the machine."""
import asyncio

PAGES = {
    "/": ["/about", "/blog", "/missing"],
    "/about": ["/", "/team"],
    "/blog": ["/blog/1", "/blog/2", "/about"],
    "/blog/1": ["/blog/2", "/"],
    "/blog/2": ["/blog/1", "/team"],
    "/team": ["/about"],
}


async def handle_http(reader, writer):
    request_line = await reader.readline()
    path = request_line.decode().split(" ")[1]
    while True:  # the headers, up to the blank line
        line = await reader.readline()
        if not line or line == b"\r\n":
            break
    if path in PAGES:
        links = "".join(f'<a href="{link}">{link}</a>\n' for link in PAGES[path])
        body = f"<title>page {path}</title>\n{links}"
        status = "200 OK"
    else:
        body = "<title>not found</title>\n"
        status = "404 Not Found"
    data = body.encode()
    writer.write(f"HTTP/1.0 {status}\r\nContent-Length: {len(data)}\r\n\r\n".encode() + data)
    await writer.drain()
    writer.close()
    await writer.wait_closed()


class Crawler:
    def __init__(self, port, max_in_flight=2, delay=0.01, workers=3):
        self.port = port
        self.delay = delay
        self.workers = workers
        self.semaphore = asyncio.Semaphore(max_in_flight)
        self.queue = asyncio.Queue()
        self.seen = set()
        self.results = {}
        self.in_flight = 0
        self.most_in_flight = 0

    async def fetch(self, path):
        async with self.semaphore:  # at most max_in_flight requests at once
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.write(f"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
                await writer.drain()
                response = await reader.read()
                writer.close()
                await writer.wait_closed()
                await asyncio.sleep(self.delay)  # be polite: the rate limit
            finally:
                self.in_flight -= 1
        head, body = response.decode().split("\r\n\r\n", 1)
        status = int(head.split(" ")[1])
        title = body.split("<title>")[1].split("</title>")[0]
        links = [part.split('"')[0] for part in body.split('href="')[1:]]
        return status, title, links

    def add(self, path):
        if path not in self.seen:
            self.seen.add(path)
            self.queue.put_nowait(path)

    async def work(self):
        while True:
            path = await self.queue.get()
            try:
                status, title, links = await self.fetch(path)
                self.results[path] = (status, title, len(links))
                for link in links:
                    self.add(link)
            finally:
                self.queue.task_done()

    async def crawl(self, root):
        self.add(root)
        tasks = [asyncio.create_task(self.work()) for _ in range(self.workers)]
        await self.queue.join()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def main():
    server = await asyncio.start_server(handle_http, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        crawler = Crawler(port)
        await crawler.crawl("/")
    for path in sorted(crawler.results):
        status, title, n = crawler.results[path]
        print(f"{status} {path:<8} {title!r} ({n} links)")
    print("pages:", len(crawler.results), "most requests in flight:", crawler.most_in_flight)
    print("ok:", sorted(p for p, r in crawler.results.items() if r[0] == 200) == sorted(PAGES))


asyncio.run(main())
