"""Callback style, from asyncio's 2014 introduction: print 'Hello World' every 2 seconds.

TULIP_EXAMPLE_INTERVAL (seconds) and TULIP_EXAMPLE_COUNT (stop after that many) make it short
for tests; by default it runs forever, as the original does.
"""
import asyncio
import os

INTERVAL = float(os.environ.get("TULIP_EXAMPLE_INTERVAL", "2"))
COUNT = int(os.environ.get("TULIP_EXAMPLE_COUNT", "0"))
printed = 0


def print_and_repeat(loop):
    global printed
    print('Hello World')
    printed += 1
    if COUNT and printed >= COUNT:
        loop.stop()
        return
    loop.call_later(INTERVAL, print_and_repeat, loop)


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
loop.call_soon(print_and_repeat, loop)
loop.run_forever()
loop.close()
