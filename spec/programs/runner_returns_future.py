"""asyncio.run returns what main returns, even when that is a Future."""
import asyncio


async def main():
    fut = asyncio.get_running_loop().create_future()
    fut.set_result(5)
    return fut


result = asyncio.run(main())
print("asyncio.run returned a", type(result).__name__, "holding", result.result())
