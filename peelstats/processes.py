"""Processes that die with the process that started them.

A batch killed outright (SIGKILL, the out-of-memory killer) cannot stop what it started, so
each process it starts asks Linux, before it does anything else, to be sent SIGKILL when its
parent dies (``prctl(PR_SET_PDEATHSIG)``): the batch's workers (:func:`die_with_parent`) and
what they start themselves, such as Chromium for report.pdf (:func:`tied`). Elsewhere than
Linux both do nothing.
"""

from __future__ import annotations

import ctypes
import signal
import sys

_PR_SET_PDEATHSIG = 1

#: run by :func:`tied`: ask for SIGKILL on the parent's death, check the parent is still the
#: one that started it (it may have died before the request), then become the command
_LAUNCH = (
    "import ctypes, os, sys\n"
    "try:\n"
    "    ctypes.CDLL(None).prctl(1, 9, 0, 0, 0)\n"
    "except (OSError, AttributeError):\n"
    "    pass\n"
    "if os.getppid() != int(sys.argv[1]):\n"
    "    os._exit(1)\n"
    "os.execvp(sys.argv[2], sys.argv[2:])\n"
)


def die_with_parent() -> None:
    """Ask Linux to send SIGKILL to this process when its parent dies (no-op elsewhere)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def tied(argv: list[str], parent: int) -> list[str]:
    """A command line that runs ``argv`` (replacing itself with it, so its process id is the
    command's) but is killed when the process ``parent`` that starts it dies. The request
    survives the command's own ``exec`` of a launcher script, and Chromium's helper processes
    exit when their browser process does."""
    if not sys.platform.startswith("linux"):
        return list(argv)
    return [sys.executable, "-S", "-c", _LAUNCH, str(parent), *argv]
