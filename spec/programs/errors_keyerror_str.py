"""str() of exceptions as Python prints them: KeyError quotes its key, several args print as a tuple."""
import asyncio


async def lookup(table, key):
    await asyncio.sleep(0)
    return table[key]


async def main():
    try:
        await lookup({"a": 1}, "c")
    except KeyError as e:
        print("KeyError:", str(e))
    print("KeyError made by hand:", str(KeyError("c")))
    print("two args:", str(ValueError("bad", 2)))
    print("no args:", repr(str(RuntimeError())))


asyncio.run(main())
