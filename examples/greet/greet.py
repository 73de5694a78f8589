"""Coroutines and tasks, from asyncio's 2014 introduction (there `@asyncio.coroutine` with
`yield from`; Python 3.11 removed that decorator, so this is the `async def` spelling).

TULIP_EXAMPLE_INTERVAL and TULIP_EXAMPLE_COUNT (greetings before it returns) shorten it for tests.
"""
import asyncio
import os

INTERVAL = float(os.environ.get("TULIP_EXAMPLE_INTERVAL", "1"))
COUNT = int(os.environ.get("TULIP_EXAMPLE_COUNT", "0"))


async def greet_every_two_seconds():
    n = 0
    while True:
        print('Hello World')
        await asyncio.sleep(INTERVAL)
        print('How are you?')
        await asyncio.sleep(INTERVAL)
        n += 1
        if COUNT and n >= COUNT:
            return


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
loop.run_until_complete(greet_every_two_seconds())
loop.close()
