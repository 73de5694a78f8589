"""A Runner's life: close() before first use does nothing; after its loop is made, close() closes
that loop for good, a second close() is allowed, and run()/get_loop() say 'Runner is closed'."""
import asyncio


async def answer(n):
    await asyncio.sleep(0)
    return n


runner = asyncio.Runner()
runner.close()
print("run after an early close():", runner.run(answer(1)))
loop = runner.get_loop()
print("run again, same loop:", runner.run(answer(2)), runner.get_loop() is loop)
runner.close()
print("loop closed:", loop.is_closed())
runner.close()
print("a second close() is allowed")
coro = answer(3)
try:
    runner.run(coro)
except RuntimeError as e:
    print("run:", e)
try:
    runner.get_loop()
except RuntimeError as e:
    print("get_loop:", e)
try:
    loop.run_until_complete(coro)
except RuntimeError as e:
    print("its loop:", e)
print("a new runner:", asyncio.run(coro))
