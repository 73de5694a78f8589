"""create_subprocess_shell: communicate(input) feeds stdin and closes it."""
import asyncio

PIPE = asyncio.subprocess.PIPE


async def main():
    proc = await asyncio.create_subprocess_shell("tr a-z A-Z; echo done", stdin=PIPE, stdout=PIPE)
    out, err = await proc.communicate(b"hello from the parent\n")
    print(out.decode(), end="")
    print("stderr was not piped:", err)
    print("exit status", proc.returncode)


asyncio.run(main())
