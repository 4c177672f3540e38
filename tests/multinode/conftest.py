"""The cluster fixture (tests/multinode/cluster.py): one per test module, logs on failure."""

import os

import pytest

from .cluster import Cluster, services_missing


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.multinode_failed = report.failed
    return report


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two nodes, a worker, PostgreSQL, Redis and S3, started once for the module."""
    missing = services_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"The multi-node test needs its services on CI: {missing}")
        pytest.skip(f"multi-node test: {missing}")
    running = Cluster(tmp_path_factory.mktemp("multinode"))
    try:
        running.set_up()
    except BaseException:
        print(running.all_logs())
        running.close()
        raise
    yield running
    running.mark("tests done")
    running.close()
    print("\nmulti-node timings:", "; ".join(running.timings))


@pytest.fixture(autouse=True)
def _print_logs_on_failure(request, cluster):
    yield
    if getattr(request.node, "multinode_failed", False):
        print(cluster.all_logs())
