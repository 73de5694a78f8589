"""current_task() inside a named task and inside gather's children is that task, not main's."""
import asyncio


async def mid():
    task = asyncio.current_task()
    print("mid runs in", task.get_name())
    await asyncio.sleep(0)
    print("mid after a sleep runs in", asyncio.current_task().get_name())
    return task


async def child(label, main_task):
    before = asyncio.current_task()
    await asyncio.sleep(0)
    after = asyncio.current_task()
    print(label, "in main's task" if before is main_task else "in its own task",
          "and the same task after a sleep" if after is before else "and another task after a sleep")
    return before


async def main():
    main_task = asyncio.current_task()
    t = asyncio.create_task(mid(), name="T1")
    inner = await t
    print("mid's task is the one create_task returned:", "yes" if inner is t else "no")
    a, b = await asyncio.gather(child("g1", main_task), child("g2", main_task))
    print("g1 and g2 ran in", "different tasks" if a is not b else "one task")
    print("main still runs in main's task:", "yes" if asyncio.current_task() is main_task else "no")


asyncio.run(main())
