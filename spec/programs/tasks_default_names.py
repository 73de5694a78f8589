"""Default task names: Task-N, where a task created with a name still draws a number."""
import asyncio


async def noop():
    await asyncio.sleep(0)


async def main():
    print("main is", asyncio.current_task().get_name())
    named = asyncio.create_task(noop(), name="named")
    plain = asyncio.create_task(noop())
    print(named.get_name(), plain.get_name())
    wrapped = asyncio.ensure_future(noop())
    print("ensure_future made", wrapped.get_name())
    await asyncio.gather(named, plain, wrapped)
    later = asyncio.create_task(noop())
    later.set_name("renamed")
    print("set_name gives", later.get_name())
    await later
    print("the next one is", asyncio.create_task(noop()).get_name())


asyncio.run(main())
