"""A task that its loop's close() left waiting, then dropped and collected: CPython closes its
coroutine (the finally block runs) and reports it to the closed loop's exception handler."""
import asyncio
import gc


async def waiter():
    try:
        await asyncio.sleep(10)
    finally:
        print("waiter's finally ran")


loop = asyncio.new_event_loop()
loop.set_exception_handler(lambda loop, context: print("handler:", context["message"], "closed:", loop.is_closed()))
task = loop.create_task(waiter())
loop.run_until_complete(asyncio.sleep(0))
loop.close()
print("closed with the task pending:", not task.done())
del task
gc.collect()
print("collected")
