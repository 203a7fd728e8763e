"""One run per key at a time; requests during a run coalesce into one more run, which covers them all."""

import asyncio

import pytest

from kit.coalescing import CoalescingRunner


class Work:
    """A run that ends when the test lets it: counts runs per key, may fail."""

    def __init__(self) -> None:
        self.runs: list[str] = []
        self.gates: list[asyncio.Event] = []  # one per run: set it to end that run
        self.running = 0
        self.most_at_once = 0
        self.released = False
        self.fail = False

    def release(self) -> None:
        """End every run, this one and the next ones."""
        self.released = True
        for gate in self.gates:
            gate.set()

    async def __call__(self, key: str) -> None:
        self.runs.append(key)
        gate = asyncio.Event()
        if self.released:
            gate.set()
        self.gates.append(gate)
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            await gate.wait()
            if self.fail:
                raise RuntimeError("the run failed")
        finally:
            self.running -= 1


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_requests_during_a_run_coalesce_into_one_more_run() -> None:
    work = Work()
    runner = CoalescingRunner(work)
    first = runner.request("p")
    await _settle()
    during = [runner.request("p") for _ in range(5)]
    await _settle()
    assert work.runs == ["p"]
    work.release()
    await first
    await asyncio.gather(*during)
    assert work.runs == ["p", "p"]  # five requests, one more run
    assert work.most_at_once == 1


async def test_a_request_during_a_run_is_answered_by_the_next_run_not_by_that_one() -> None:
    work = Work()
    runner = CoalescingRunner(work)
    first = runner.request("p")
    await _settle()
    during = runner.request("p")
    work.gates[0].set()
    await first
    await _settle()
    assert work.runs == ["p", "p"]
    assert not during.done()  # the first run may not have seen what its requester committed
    work.gates[1].set()
    await during


async def test_keys_run_side_by_side() -> None:
    work = Work()
    runner = CoalescingRunner(work)
    both = [runner.request("a"), runner.request("b")]
    await _settle()
    assert sorted(work.runs) == ["a", "b"]
    assert work.most_at_once == 2
    work.release()
    await asyncio.gather(*both)


async def test_a_wait_shorter_than_the_run_returns_and_the_run_goes_on() -> None:
    work = Work()
    runner = CoalescingRunner(work)
    assert await runner.run("p", wait=0.05) is False
    assert await runner.run("p", wait=0) is False  # coalesced with nothing waited for
    work.release()
    assert await runner.run("p", wait=None) is True
    assert runner.took("p") is not None


async def test_a_failed_run_is_logged_its_waiters_answered_and_the_next_request_runs_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    work = Work()
    work.fail = True
    work.release()
    runner = CoalescingRunner(work)
    assert await runner.run("p", wait=None) is True
    assert "a background run failed" in caplog.text
    work.fail = False
    assert await runner.run("p", wait=None) is True
    assert work.runs == ["p", "p"]


async def test_closing_cancels_a_run_past_its_grace_and_answers_every_waiter() -> None:
    work = Work()
    runner = CoalescingRunner(work)
    first = runner.request("p")
    await _settle()
    queued = runner.request("p")
    await runner.close(grace=0.01)
    await asyncio.wait_for(asyncio.gather(first, queued), 1)
    assert work.runs == ["p"]  # the queued run never started
    assert (await runner.run("p", wait=None)) is True  # a closed runner answers at once and runs nothing
    assert work.runs == ["p"]


async def test_a_burst_of_requests_gets_one_run_after_it_goes_quiet() -> None:
    """A bulk import: requests keep coming while a run lasts; the next run waits for a quiet spell as long as the
    last run took (pause 1.0), so the requests of the burst share one run after it."""
    runs: list[float] = []

    async def work(key: str) -> None:
        runs.append(asyncio.get_running_loop().time())
        await asyncio.sleep(0.05)

    runner = CoalescingRunner(work, pause=1.0)
    first = runner.request("p")
    burst = []
    for _ in range(10):  # a request every 20 ms for 200 ms: never 50 ms quiet
        burst.append(runner.request("p"))
        last = asyncio.get_running_loop().time()
        await asyncio.sleep(0.02)
    await first
    await asyncio.gather(*burst)
    assert len(runs) == 2  # the first, then one for the whole burst
    assert runs[1] - last >= 0.04  # after the burst had gone quiet (50 ms, with the clock's slack)


async def test_a_burst_that_never_goes_quiet_still_runs_within_the_max_delay() -> None:
    runs = 0

    async def work(key: str) -> None:
        nonlocal runs
        runs += 1
        await asyncio.sleep(0.05)

    runner = CoalescingRunner(work, pause=100.0, max_delay=0.1)
    runner.request("p")
    for _ in range(25):  # 500 ms of requests, a quiet spell of 5 s would never come
        runner.request("p")
        await asyncio.sleep(0.02)
    assert runs >= 3  # the first, then one at least every 0.1 s + 0.05 s
    await runner.close(grace=1.0)


async def test_running_for_says_how_long_the_run_under_way_has_lasted() -> None:
    work = Work()
    runner = CoalescingRunner(work)
    assert runner.running_for("p") is None
    done = runner.request("p")
    await asyncio.sleep(0.05)
    lasted = runner.running_for("p")
    assert lasted is not None
    assert lasted >= 0.04
    work.release()
    await done
    assert runner.running_for("p") is None
