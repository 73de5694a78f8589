"""main's task cancelled from a callback: asyncio.run raises CancelledError."""
import asyncio


async def main():
    task = asyncio.current_task()
    asyncio.get_running_loop().call_later(0.01, task.cancel)
    try:
        await asyncio.sleep(1)
    finally:
        print("main's finally runs")


try:
    asyncio.run(main())
except asyncio.CancelledError:
    print("asyncio.run raised CancelledError")
asyncio.run(main())
