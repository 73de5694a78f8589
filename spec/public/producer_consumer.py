"""A worker pool on an asyncio.Queue, in the style of the asyncio docs' Queue example: the
producer fills the queue, three workers take "work items" (how long to sleep), queue.join()
waits until every item is processed, then the workers are cancelled and gathered."""
import asyncio

UNIT = 0.03  # the timings are deterministic (the docs draw them at random): no two workers finish together


async def worker(name, queue, done):
    while True:
        # Get a "work item" out of the queue.
        sleep_for = await queue.get()
        # Sleep for the "sleep_for" seconds.
        await asyncio.sleep(sleep_for)
        # Notify the queue that the "work item" has been processed.
        queue.task_done()
        done.append(name)
        print(f"{name} has slept for {sleep_for:.2f} seconds")


async def main():
    # Create a queue that we will use to store our "workload".
    queue = asyncio.Queue()
    # Generate timings and put them into the queue.
    total_sleep_time = 0
    for i in range(10):
        sleep_for = UNIT * (1, 2, 4, 5)[i % 4]
        total_sleep_time += sleep_for
        queue.put_nowait(sleep_for)

    # Create three worker tasks to process the queue concurrently.
    done = []
    tasks = []
    for i in range(3):
        task = asyncio.create_task(worker(f"worker-{i}", queue, done))
        tasks.append(task)

    # Wait until the queue is fully processed.
    started_at = asyncio.get_running_loop().time()
    await queue.join()
    total_slept_for = asyncio.get_running_loop().time() - started_at

    # Cancel our worker tasks.
    for task in tasks:
        task.cancel()
    # Wait until all worker tasks are cancelled.
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)

    print("====")
    print("3 workers slept in parallel, less than the total:", total_slept_for < total_sleep_time)
    print(f"total expected sleep time: {total_sleep_time:.2f} seconds")
    print("items per worker:", {name: done.count(name) for name in sorted(set(done))})
    print("workers ended with:", [type(o).__name__ for o in outcomes])


asyncio.run(main())
