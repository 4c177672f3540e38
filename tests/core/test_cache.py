"""The shared cache's read-modify-write operations are atomic, on files as on Redis.

Rate limits count with `add` + `incr` and allauth locks with `add`: if two requests
could both add a key, or both read the same count, a limit would let more through
than it allows. Proved with threads and with processes (the app server's workers).
"""

import multiprocessing
import threading
import time

import pytest
from django.core.cache import cache, caches

from tests.concurrency import run_in_parallel

WORKERS = 40


def test_concurrent_increments_are_never_lost(shared_cache):
    cache.add("compteur", 0, timeout=60)
    counts, errors = run_in_parallel(lambda _number: cache.incr("compteur"), range(WORKERS))
    assert not errors
    assert sorted(counts) == list(range(1, WORKERS + 1))  # each request its own count
    assert cache.get("compteur") == WORKERS


def test_one_concurrent_add_wins(shared_cache):
    added, errors = run_in_parallel(
        lambda number: cache.add("verrou", number, timeout=60), range(WORKERS)
    )
    assert not errors
    assert added.count(True) == 1
    winners = [number for number in range(WORKERS) if cache.get("verrou") == number]
    assert len(winners) == 1


def test_an_increment_keeps_the_expiry(shared_cache):
    """As Redis does: a count started for a window ends with it."""
    cache.add("fenetre", 0, timeout=1)
    cache.incr("fenetre")
    time.sleep(1.2)
    assert cache.get("fenetre") is None
    with pytest.raises(ValueError):
        cache.incr("fenetre")


def _increment_in_a_process(times, barrier, results):
    barrier.wait()
    counts = [caches["default"].incr("compteur-processus") for _ in range(times)]
    results.put(counts)


def test_increments_from_several_processes_are_never_lost(shared_cache):
    """Several app server processes on one machine share the same cache files."""
    processes, times = 6, 25
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(processes), context.Queue()
    cache.add("compteur-processus", 0, timeout=60)
    workers = [
        context.Process(target=_increment_in_a_process, args=(times, barrier, results))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    counts = [count for _ in workers for count in results.get(timeout=60)]
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(counts) == list(range(1, processes * times + 1))
    assert cache.get("compteur-processus") == processes * times


def test_the_lock_is_not_held_by_one_thread_for_another(shared_cache, tmp_path):
    """flock, not fcntl record locks: threads of one process exclude each other too."""
    if shared_cache != "embedded":
        pytest.skip("Redis has no lock file")
    entered = threading.Event()
    release = threading.Event()
    backend = caches["default"]

    def hold_the_lock():
        with backend._exclusive():
            entered.set()
            release.wait(timeout=10)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    entered.wait(timeout=10)
    done = threading.Event()
    waiter = threading.Thread(target=lambda: (backend.add("autre", 1), done.set()))
    waiter.start()
    assert not done.wait(timeout=0.5)  # blocked while the other thread holds it
    release.set()
    assert done.wait(timeout=10)
    holder.join()
    waiter.join()
