"""create_task(context=ctx) runs the task in that very context: its changes are visible in ctx afterwards."""
import asyncio
import contextvars

user = contextvars.ContextVar("user", default="anonymous")


async def job():
    print("job sees", user.get())
    user.set("changed by job")


async def main():
    ctx = contextvars.copy_context()
    ctx.run(user.set, "alice")
    print("main sees", user.get())
    await asyncio.create_task(job(), context=ctx)
    print("ctx now holds", ctx[user])
    print("main still sees", user.get())
    await asyncio.create_task(job())
    print("without context=, main still sees", user.get())


asyncio.run(main())
