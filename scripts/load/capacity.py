"""`LOAD_MODE=capacity make load`: the highest rate the professionals' mix sustains.

The same journey as `make load` (locustfile.py's `Professional`: lessons, quizzes,
certificates, « Mon espace », guides) at rising numbers of people, `LOAD_STEPS`
(by default 20, 40, … 240), each for `LOAD_STEP_DURATION` (60 s) with people who start
their journey then (accounts not used by an earlier step). Locust's numbers are reset
once everyone of a step has arrived (`--reset-stats`), so each line is the steady
state at that population. The capacity is the highest rate (requests per second) of
a step with p99 under 500 ms and no error; the steps stop at the first one beyond.

In a closed model like this one (people think 1–4 s between pages) the rate is the
arrival rate of requests: more people, more requests a second, until the server
saturates and the time in queue shows in p99.
"""

import os

from report import errors, read_locust_stats

STEPS = [int(n) for n in os.environ.get("LOAD_STEPS", "20,40,60,80,100,120,160,200,240").split(",")]
STEP_DURATION = os.environ.get("LOAD_STEP_DURATION", "60s")
P99_TARGET_MS = 500


def within_target(step):
    return step["p99_ms"] < P99_TARGET_MS and step["errors"] == 0


def capacity_of(steps):
    """The step that sets the capacity: the last one within the target before the
    first beyond it (a later lucky step after a saturated one does not count)."""
    capacity = None
    for step in steps:
        if not within_target(step):
            break
        capacity = step
    return capacity


def run(url, files, workdir, run_locust, write_figures):
    offset, steps = 0, []
    for users in STEPS:
        prefix = run_locust(
            url,
            files,
            workdir,
            users=users,
            duration=STEP_DURATION,
            spawn_rate=max(1, users // 10),
            classes=["Professional"],
            name=f"palier-{users}",
            extra_env={"LOAD_ACCOUNT_OFFSET": str(offset)},
            reset_stats=True,
        )
        offset += users
        stats = read_locust_stats(prefix)
        step = {
            "users": users,
            "requests_per_second": round(stats["requests_per_second"], 1),
            "p50_ms": stats["p50"],
            "p99_ms": stats["p99"],
            "errors": errors(stats),
        }
        steps.append(step)
        within = within_target(step)
        print(
            f"[capacité] {users:4d} personnes : {step['requests_per_second']:6.1f} req/s, "
            f"p50 {step['p50_ms']:.0f} ms, p99 {step['p99_ms']:.0f} ms, "
            f"erreurs {step['errors']} — {'tenu' if within else 'au-delà'}",
            flush=True,
        )
        if not within:
            break
    capacity = capacity_of(steps)
    if capacity:
        print(
            f"Capacité : {capacity['requests_per_second']:.1f} req/s "
            f"({capacity['users']} personnes) avec p99 < {P99_TARGET_MS} ms et 0 erreur"
        )
    else:
        print(f"Capacité : aucun palier ne tient p99 < {P99_TARGET_MS} ms")
    write_figures(
        {
            "mode": "capacity",
            "step_duration": STEP_DURATION,
            "p99_target_ms": P99_TARGET_MS,
            "capacity_requests_per_second": capacity["requests_per_second"] if capacity else 0,
            "capacity_users": capacity["users"] if capacity else 0,
            "steps": steps,
            "app": os.environ.get("LOAD_APP_DIR", ""),
        }
    )
    return 0 if steps and steps[0]["errors"] == 0 else 1
