"""ContextVar.set() returns a Token; reset(token) restores the previous value; a token works once."""
import asyncio
import contextvars

level = contextvars.ContextVar("level")


async def nested():
    token = level.set(level.get() + 1)
    try:
        print("inside, level", level.get())
        await asyncio.sleep(0)
    finally:
        level.reset(token)
    return token


async def main():
    try:
        level.get()
    except LookupError as e:
        print("no value yet:", type(e).__name__)
    print("get with a default:", level.get(42))
    level.set(1)
    token = await nested()
    print("after reset, level", level.get())
    t = level.set(5)
    level.reset(t)
    try:
        level.reset(t)
    except RuntimeError:
        print("a used token raises RuntimeError")
    print("level", level.get())


asyncio.run(main())
