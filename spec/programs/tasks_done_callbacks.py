"""Done callbacks run in the order they were added, before the awaiting task resumes."""
import asyncio


def report(label):
    def callback(fut):
        print(label, "callback saw", fut.result())
    return callback


async def compute(x):
    await asyncio.sleep(0)
    return x * 2


async def main():
    task = asyncio.create_task(compute(21))
    task.add_done_callback(report("first"))
    second = report("second")
    task.add_done_callback(second)
    task.add_done_callback(report("third"))
    print("removed", task.remove_done_callback(second), "callback")
    result = await task
    print("main got", result)
    task.add_done_callback(report("late"))
    print("added a callback to a done task")
    await asyncio.sleep(0)
    print("after one more iteration")


asyncio.run(main())
