"""The real huey consumer, run in the test's own thread (tests/archive/test_worker.py, tests/notify)."""

from huey.consumer import Consumer

from app.archive.tasks import get_archive


class QuietConsumer(Consumer):
    """A consumer in the test's thread that leaves signals to the test runner."""

    def _set_signal_handlers(self):
        pass


def in_process_consumer() -> QuietConsumer:
    return QuietConsumer(get_archive().huey, workers=2, worker_type="thread", periodic=False)
