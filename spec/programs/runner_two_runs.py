"""Each asyncio.run makes a new loop and closes it; no loop runs in between."""
import asyncio

loops = []


async def main(n):
    loop = asyncio.get_running_loop()
    loops.append(loop)
    await asyncio.sleep(0)
    return n * 10


print("first run:", asyncio.run(main(1)))
print("second run:", asyncio.run(main(2)))
print("two different loops:", loops[0] is not loops[1])
print("both closed:", loops[0].is_closed() and loops[1].is_closed())
try:
    asyncio.get_running_loop()
except RuntimeError as e:
    print("outside:", type(e).__name__, e)
