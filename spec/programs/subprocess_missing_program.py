"""A program that does not exist: create_subprocess_exec raises FileNotFoundError."""
import asyncio


async def main():
    try:
        await asyncio.create_subprocess_exec("tulip-no-such-program-xyz")
    except FileNotFoundError as e:
        print(type(e).__name__, "errno", e.errno)
        print(str(e))
    proc = await asyncio.create_subprocess_shell("tulip-no-such-program-xyz 2>/dev/null")
    print("through the shell: exit status", await proc.wait())


asyncio.run(main())
