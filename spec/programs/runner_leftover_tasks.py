"""asyncio.run cancels the tasks main left behind and lets them finish before it returns."""
import asyncio


async def background():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("background task cancelled at shutdown")
        await asyncio.sleep(0)
        print("background cleanup done")
        raise


async def main():
    asyncio.create_task(background())
    asyncio.create_task(asyncio.sleep(10))
    asyncio.create_task(asyncio.sleep(20))
    await asyncio.sleep(0.01)
    print("main returns with", len(asyncio.all_tasks()) - 1, "tasks pending")
    return "main's result"


print("asyncio.run returned", asyncio.run(main()))
