"""Each task runs in a copy of its creator's context: siblings' values never leak into each other or main."""
import asyncio
import contextvars

request_id = contextvars.ContextVar("request_id", default="none")


async def handle(name):
    print(name, "starts with", request_id.get())
    request_id.set(name)
    await asyncio.sleep(0)
    print(name, "still sees", request_id.get())


async def main():
    request_id.set("main")
    await asyncio.gather(handle("r1"), handle("r2"))
    t = asyncio.create_task(handle("r3"))
    await t
    print("main sees", request_id.get())


asyncio.run(main())
