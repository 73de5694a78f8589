"""kill() a long-running child: wait() returns minus the signal number; wait_for() around wait() times out first."""
import asyncio
import signal


async def main():
    proc = await asyncio.create_subprocess_exec("sleep", "30")
    try:
        await asyncio.wait_for(proc.wait(), 0.1)
    except TimeoutError:
        print("still running after 0.1 s")
    proc.kill()
    code = await proc.wait()
    print("returncode", code, "is -SIGKILL:", code == -signal.SIGKILL)
    try:
        proc.kill()
        print("kill() after the exit does nothing")
    except ProcessLookupError:
        print("ProcessLookupError")


asyncio.run(main())
