"""create_subprocess_exec with pipes: communicate() feeds stdin and collects stdout and stderr; returncode is the exit status."""
import asyncio

PIPE = asyncio.subprocess.PIPE


async def main():
    proc = await asyncio.create_subprocess_exec(
        "sh", "-c", "read line; echo out $line; echo err >&2; exit 3", stdin=PIPE, stdout=PIPE, stderr=PIPE)
    print("returncode while running:", proc.returncode)
    out, err = await proc.communicate(b"ok\n")
    print("stdout:", out.decode().strip(), "stderr:", err.decode().strip())
    print("returncode:", proc.returncode)
    print("wait() again:", await proc.wait())


asyncio.run(main())
