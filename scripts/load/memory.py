"""Memory of the app server's workers and of the task workers during a load run.

Sampled every `INTERVAL` seconds in a thread (psutil, a dependency of locust):
the resident set size of each gunicorn worker (the master's children, which gunicorn
replaces after `max_requests`) and of each `db_worker`. The report gives, per kind,
the total at the start, the highest total and the total at the end, and one line per
minute, so that growth shows: a worker whose memory keeps rising through a long run
is a leak; one that rises then stays flat is a warmed cache.
"""

import threading
import time

import psutil

INTERVAL = 15
MEGABYTE = 1024 * 1024


def _rss(pids):
    total = []
    for pid in pids:
        try:
            total.append(psutil.Process(pid).memory_info().rss / MEGABYTE)
        except psutil.Error:
            continue  # a gunicorn worker being replaced
    return total


class MemoryWatch:
    def __init__(self, gunicorn, task_workers):
        self.gunicorn = gunicorn
        self.task_workers = task_workers
        self.samples = []  # (seconds since start, {kind: [MB per process]})
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._started = None

    def sample(self):
        try:
            workers = [child.pid for child in psutil.Process(self.gunicorn.pid).children()]
        except psutil.Error:
            workers = []
        self.samples.append(
            (
                round(time.monotonic() - self._started),
                {
                    "gunicorn": _rss(workers),
                    "db_worker": _rss([process.pid for process in self.task_workers]),
                },
            )
        )

    def _watch(self):
        while not self._stop.wait(INTERVAL):
            self.sample()

    def __enter__(self):
        self._started = time.monotonic()
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.sample()

    def summary(self):
        """{kind: {"start", "peak", "end" (MB, all processes), "per_process_end", "minutes"}}."""
        result = {}
        for kind in ("gunicorn", "db_worker"):
            totals = [(at, sum(values[kind]), values[kind]) for at, values in self.samples]
            if not totals:
                continue
            minutes, seen = [], set()
            for at, total, _values in totals:
                if at // 60 not in seen:
                    seen.add(at // 60)
                    minutes.append([at, round(total, 1)])
            result[kind] = {
                "processes": len(totals[-1][2]),
                "start": round(totals[0][1], 1),
                "peak": round(max(total for _at, total, _values in totals), 1),
                "end": round(totals[-1][1], 1),
                "per_process_end": [round(value, 1) for value in totals[-1][2]],
                "minutes": minutes,
            }
        return result
