"""A process pool in which a crash fails only the job that crashed.

``concurrent.futures.ProcessPoolExecutor`` breaks as a whole when one worker dies (every
pending job then fails). Batch workers run notebooks in their own process
(:mod:`peelstats.run.inprocess`), so a notebook that crashes the interpreter (a segfault,
``os._exit``, the out-of-memory killer) must cost only its own job: this pool gives each worker
one job at a time over its own pipe, notices a worker's death by its sentinel, fails that job
with :class:`WorkerDied`, and starts a new worker for the jobs still to run.

It is a ``concurrent.futures.Executor`` (``submit``, ``shutdown``), so the batch can be handed
another executor instead (a Dask cluster's ``Client.get_executor()``). Workers come from a
fork server (``multiprocessing``'s forkserver, a single-threaded process that imports the
``preload`` modules once), so each starts warm, and none is forked from a process with
threads (a fork while another thread holds the import lock would deadlock the child). A worker
lets go of the fork server's "alive" pipe at once, so the fork server exits when the process
that started it does, even while workers are busy (:func:`_release_fork_server`).
"""

from __future__ import annotations

import collections
import multiprocessing as mp
import os
import pickle
import threading
import traceback
from concurrent.futures import Executor, Future
from multiprocessing.connection import wait

#: the longest temporary folder multiprocessing's socket path fits under: a Unix socket path is
#: at most 107 bytes, and multiprocessing adds "/pymp-XXXXXXXX/listener-XXXXXXXX" (33 bytes)
_SOCKET_ROOM = 107 - 33


def _short_temp_dir() -> None:
    """Give multiprocessing a temporary folder its fork server's socket path fits in.

    The fork server listens on a Unix socket in a folder made under TMPDIR; under a deep TMPDIR
    the path is too long and the batch could not start ("AF_UNIX path too long"). Then the
    folder is made in /tmp (or /var/tmp, /dev/shm) instead; TMPDIR itself is left as it is."""
    import tempfile
    from multiprocessing import util

    if len(os.fsencode(tempfile.gettempdir())) <= _SOCKET_ROOM:
        return
    for base in ("/tmp", "/var/tmp", "/dev/shm"):
        if os.path.isdir(base) and os.access(base, os.W_OK | os.X_OK):
            saved = tempfile.tempdir
            tempfile.tempdir = base
            try:
                util.get_temp_dir()  # made now, and kept by multiprocessing for this process
            finally:
                tempfile.tempdir = saved
            return


def prestart(preload=()) -> None:
    """Start the fork server now (it imports ``preload`` meanwhile), so that workers can be
    forked warm as soon as the batch needs them."""
    from multiprocessing import forkserver

    _short_temp_dir()
    context = mp.get_context("forkserver")
    if preload:
        context.set_forkserver_preload(list(preload))
    forkserver.ensure_running()


class WorkerDied(RuntimeError):
    """The worker running a job died (exit code or signal in the message)."""


def _release_fork_server() -> None:
    """Close this worker's copy of the write end of the fork server's "alive" pipe.

    multiprocessing hands it to every process the fork server starts, and the fork server exits
    only when no process holds it. Held by the workers, it kept the fork server (and with it
    the resource tracker and the workers, which ask to die with their parent, the fork server)
    running after the batch was killed outright, until every busy worker had finished its job.
    Released, the fork server exits as soon as the batch does, and the workers die with it."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)  # multiprocessing's own, not public
    fd = getattr(server, "_forkserver_alive_fd", None)
    if fd is None or getattr(server, "_forkserver_pid", None) is not None:
        return  # not a child of a fork server (the process that started one keeps its end)
    try:
        os.close(fd)
    except OSError:
        pass
    server._forkserver_alive_fd = None


def _worker(conn, initializer, initargs) -> None:
    _release_fork_server()
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        fn, args, kwargs = task
        try:
            conn.send(("ok", fn(*args, **kwargs)))
        except BaseException as exc:  # noqa: BLE001 - returned to the caller's future
            conn.send(("error", _sendable(exc)))


def _sendable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling both ways (an exception class whose ``__init__`` takes
    other arguments than it passes on pickles but cannot be read back), else a RuntimeError
    with its text."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - any failure to pickle or unpickle
        return RuntimeError(traceback.format_exception_only(exc)[-1].strip())


class _Slot:
    def __init__(self, context, initializer, initargs):
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker, args=(child, initializer, initargs), daemon=True
        )
        self.process.start()
        child.close()
        self.future: Future | None = None


class IsolatingPool(Executor):
    """Up to ``max_workers`` forked worker processes, one job at a time each."""

    def __init__(self, max_workers: int, initializer=None, initargs=(), preload=()):
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self._max = max_workers
        self._init = (initializer, initargs)
        _short_temp_dir()
        self._context = mp.get_context("forkserver")
        if preload:
            self._context.set_forkserver_preload(list(preload))
        self._pending: collections.deque = collections.deque()
        self._slots: list[_Slot] = []
        self._lock = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(target=self._dispatch, daemon=True)
        self._thread.start()

    # -- Executor

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("cannot submit to a pool that is shutting down")
            self._pending.append((future, (fn, args, kwargs)))
            self._lock.notify_all()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closing = True
            if cancel_futures:
                while self._pending:
                    future, _ = self._pending.popleft()
                    future.cancel()
            self._lock.notify_all()
        if wait:
            self._thread.join()

    def terminate(self) -> None:
        """Stop every worker now (their running jobs fail)."""
        self.shutdown(wait=False, cancel_futures=True)
        for slot in list(self._slots):
            if slot.process.is_alive():
                slot.process.terminate()
        for slot in list(self._slots):
            slot.process.join(timeout=30)
        self._thread.join(timeout=30)

    @property
    def processes(self) -> list:
        return [slot.process for slot in self._slots]

    # -- the dispatcher thread

    def _start_slot(self) -> _Slot:
        slot = _Slot(self._context, *self._init)
        self._slots.append(slot)
        return slot

    def _dispatch(self) -> None:
        while True:
            with self._lock:
                while not self._pending and not self._busy() and not self._closing:
                    self._lock.wait(timeout=0.5)
                if self._closing and not self._pending and not self._busy():
                    break
                self._assign()
            busy = self._busy()
            if not busy:
                continue
            ready = wait([s.conn for s in busy] + [s.process.sentinel for s in busy], timeout=0.5)
            for slot in busy:
                if slot.conn in ready and slot.conn.poll():
                    self._collect(slot)
                elif slot.process.sentinel in ready and not slot.process.is_alive():
                    self._bury(slot)
        for slot in self._slots:
            try:
                slot.conn.send(None)
            except OSError:
                pass
        for slot in self._slots:
            slot.process.join(timeout=30)

    def _busy(self) -> list[_Slot]:
        return [s for s in self._slots if s.future is not None]

    def _assign(self) -> None:
        while self._pending:
            idle = [s for s in self._slots if s.future is None and s.process.is_alive()]
            if not idle:
                if len([s for s in self._slots if s.process.is_alive()]) >= self._max:
                    return
                idle = [self._start_slot()]
            future, task = self._pending.popleft()
            if not future.set_running_or_notify_cancel():
                continue
            slot = idle[0]
            try:
                slot.conn.send(task)
                slot.future = future
            except OSError as exc:
                future.set_exception(WorkerDied(f"could not reach the worker: {exc}"))

    def _collect(self, slot: _Slot) -> None:
        try:
            kind, value = slot.conn.recv()
        except (EOFError, OSError):
            self._bury(slot)
            return
        except Exception as exc:  # noqa: BLE001 - a result that cannot be read back here
            kind, value = "error", RuntimeError(f"the job's result could not be read back: {exc}")
        future, slot.future = slot.future, None
        if kind == "ok":
            future.set_result(value)
        else:
            future.set_exception(value)

    def _bury(self, slot: _Slot) -> None:
        slot.process.join(timeout=5)
        code = slot.process.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        if slot.future is not None:
            slot.future.set_exception(WorkerDied(f"the worker process died ({how})"))
            slot.future = None
        self._slots.remove(slot)
        slot.conn.close()
