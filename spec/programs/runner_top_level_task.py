"""A task created from top-level code on a Runner's loop copies the top-level context; Runner.run keeps the Runner's."""
import asyncio
import contextvars

where = contextvars.ContextVar("where", default="unset")


async def setter():
    where.set("set inside the runner")


async def reader(label):
    await asyncio.sleep(0)
    print(label, "sees:", where.get())
    return label


where.set("top level")
with asyncio.Runner() as runner:
    runner.run(setter())
    task = runner.get_loop().create_task(reader("task made at top level"))
    print("second run returned", runner.run(reader("second run")))
    print("the top-level task is", "done" if task.done() else "pending", "with", task.result())
print("top level sees:", where.get())
