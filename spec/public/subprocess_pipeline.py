"""A subprocess pipeline in the style of the asyncio subprocess examples: `printf … | sort | uniq
-c` run as three processes whose output feeds the next one's input, a shell command read line by
line, several commands at once with gather, and a failing one's exit status."""
import asyncio
from asyncio.subprocess import PIPE

WORDS = "pear\napple\nfig\napple\npear\napple\n"


async def run(*cmd, input=None):
    proc = await asyncio.create_subprocess_exec(*cmd, stdin=PIPE if input is not None else None, stdout=PIPE, stderr=PIPE)
    stdout, stderr = await proc.communicate(input)
    return proc.returncode, stdout.decode()


async def pipeline():
    code1, words = await run("printf", "%s", WORDS)
    code2, ordered = await run("sort", input=words.encode())
    code3, counted = await run("uniq", "-c", input=ordered.encode())
    print("exit codes:", [code1, code2, code3])
    for line in counted.splitlines():
        count, word = line.split()
        print(f"{word:>6} x{count}")


async def read_lines():
    proc = await asyncio.create_subprocess_shell("for i in 1 2 3; do echo line $i; done", stdout=PIPE)
    lines = []
    while True:
        line = await proc.stdout.readline()
        if not line:
            break
        lines.append(line.decode().strip())
    print("read", lines, "exit", await proc.wait())


async def concurrently():
    # each sleeps a different time; gather keeps the order of the calls, not of the finishes
    cmds = [f"sleep 0.{n}; echo slept {n}" for n in (3, 1, 2)]
    results = await asyncio.gather(*(run("sh", "-c", c) for c in cmds))
    print("gathered:", [out.strip() for _, out in results])
    code, _ = await run("sh", "-c", "echo oops >&2; exit 3")
    print("a failing command exits with", code)


async def main():
    await pipeline()
    await read_lines()
    await concurrently()


asyncio.run(main())
