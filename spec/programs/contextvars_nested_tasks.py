"""A grandchild inherits its parent task's value at creation time, not main's and not later changes."""
import asyncio
import contextvars

trace = contextvars.ContextVar("trace", default="root")


async def grandchild():
    await asyncio.sleep(0)
    print("grandchild sees", trace.get())


async def child():
    trace.set("child")
    task = asyncio.create_task(grandchild())
    trace.set("child, changed after create_task")
    await task
    print("child sees", trace.get())


async def main():
    trace.set("main")
    await asyncio.create_task(child())
    print("main sees", trace.get())


asyncio.run(main())
