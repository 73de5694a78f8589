"""call_soon runs its callback in a copy of the current context, or in the context= given."""
import asyncio
import contextvars

color = contextvars.ContextVar("color", default="white")


def show(label):
    print(label, "sees", color.get())
    color.set("set by " + label)


async def main():
    loop = asyncio.get_running_loop()
    color.set("red")
    ctx = contextvars.copy_context()
    ctx.run(color.set, "blue")
    loop.call_soon(show, "plain callback")
    loop.call_soon(show, "callback with context", context=ctx)
    loop.call_later(0.01, show, "timer with context", context=ctx)
    await asyncio.sleep(0.05)
    print("main sees", color.get(), "and ctx holds", ctx[color])


asyncio.run(main())
