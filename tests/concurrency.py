"""Running service calls in parallel threads, for the PostgreSQL race tests."""

import threading

from django.db import connection


def run_in_parallel(function, arguments):
    """Call `function(argument)` in one thread each, all released at once.

    Returns (results, errors); each thread closes its own database connection.
    """
    barrier = threading.Barrier(len(arguments))
    results, errors = [], []

    def worker(argument):
        try:
            barrier.wait()
            results.append(function(argument))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors
