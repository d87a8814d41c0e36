"""The demo bandwidth limit: no copy runs faster than it, even after time spent idle or working (on a
simulated clock, so nothing here depends on how fast the machine is)."""

from cbr_tui.engine.progress import Throttle

MB = 1_000_000
BLOCK = 1 << 20


class SimulatedTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def copy(throttle: Throttle, time: SimulatedTime, blocks: int, work_per_block: float) -> float:
    """Seconds to copy `blocks` blocks, each taking `work_per_block` seconds of work besides the limit."""
    began = time.now
    for _ in range(blocks):
        time.now += work_per_block
        throttle.consume(BLOCK)
    return time.now - began


def test_a_copy_after_a_long_idle_time_runs_at_the_limit_not_above() -> None:
    time = SimulatedTime()
    throttle = Throttle(4 * MB, clock=time.clock, sleep=time.sleep)
    time.now += 60  # the runner waited a minute for its next task
    seconds = copy(throttle, time, blocks=12, work_per_block=0.0)
    assert 12 * BLOCK / seconds <= 4 * MB * 1.02, "no saved-up burst: a short backup shows the limit, not more"


def test_work_between_blocks_counts_against_the_limit() -> None:
    time = SimulatedTime()
    throttle = Throttle(4 * MB, clock=time.clock, sleep=time.sleep)
    seconds = copy(throttle, time, blocks=40, work_per_block=0.1)  # reading and hashing a block takes 0.1 s
    rate = 40 * BLOCK / seconds
    assert rate <= 4 * MB * 1.02
    assert rate >= 4 * MB * 0.9, "and the limit is used: the work overlaps the waiting"


def test_a_slow_copy_is_not_slowed_further() -> None:
    time = SimulatedTime()
    throttle = Throttle(100 * MB, clock=time.clock, sleep=time.sleep)
    seconds = copy(throttle, time, blocks=10, work_per_block=0.5)  # 2 MB/s of real work under a 100 MB/s limit
    assert seconds <= 10 * 0.5 + 0.02


def test_parallel_readers_share_the_limit_and_owe_nothing_afterwards() -> None:
    """Three disk readers take a block each and sleep side by side: their sleeps are longer than the idle
    gap, and must still repay what they owed (once they did not, and every later copy crawled)."""
    time = SimulatedTime()
    waits: list[float] = []
    throttle = Throttle(4 * MB, clock=time.clock, sleep=waits.append)
    began = time.now
    for _ in range(20):
        waits.clear()
        for _reader in range(3):
            throttle.consume(BLOCK)
        time.now += max(waits)
    rate = 60 * BLOCK / (time.now - began)
    assert 4 * MB * 0.95 <= rate <= 4 * MB * 1.02
    time.now += 60  # a later copy, after a pause, runs at the limit again (nothing is still owed)
    began = time.now
    for _block in range(12):  # one reader now: it sleeps each wait before its next block
        waits.clear()
        throttle.consume(BLOCK)
        time.now += waits[0] if waits else 0.0
    assert 12 * BLOCK / (time.now - began) >= 4 * MB * 0.95
