"""asyncio.Runner: one loop and one context for several runs; a task started in one run finishes in the next."""
import asyncio
import contextvars

setting = contextvars.ContextVar("setting", default="unset")


started = []


async def configure():
    setting.set("configured")
    started.append(asyncio.create_task(report("background")))


async def report(label):
    await asyncio.sleep(0)
    print(label, "sees", setting.get())
    return label


async def finish(task):
    print("second run sees", setting.get())
    print("awaiting the task from the first run:", await task)


with asyncio.Runner() as runner:
    runner.run(configure())
    task = started[0]
    runner.run(finish(task))
    print("same loop for both runs:", task.get_loop() is runner.get_loop())
print("outside the runner:", setting.get())
