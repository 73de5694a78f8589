"""Reading a child's stdout line by line while it runs, then waiting for its exit."""
import asyncio


async def main():
    proc = await asyncio.create_subprocess_exec(
        "sh", "-c", "for i in 1 2 3; do echo line $i; done", stdout=asyncio.subprocess.PIPE)
    count = 0
    while True:
        line = await proc.stdout.readline()
        if not line:
            break
        count += 1
        print("read:", line.decode().rstrip())
    print(count, "lines, exit status", await proc.wait())


asyncio.run(main())
