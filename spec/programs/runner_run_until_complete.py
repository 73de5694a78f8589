"""The older loop API: new_event_loop, run_until_complete, and close."""
import asyncio


async def add(a, b):
    await asyncio.sleep(0)
    return a + b


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
print("sum", loop.run_until_complete(add(2, 3)))
task = loop.create_task(add(4, 5))
print("task result", loop.run_until_complete(task))
print("running after run_until_complete:", loop.is_running())
loop.close()
print("closed:", loop.is_closed())
try:
    loop.run_until_complete(add(1, 1))
except RuntimeError as e:
    print(type(e).__name__, e)
asyncio.set_event_loop(None)
