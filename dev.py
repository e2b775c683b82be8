#!/usr/bin/env python3
"""Set up peelstats on a fresh machine and run it. Needs only Python 3.11 and pip.

    python3 dev.py main    build .venv if needed, then run the main job on the default data
    python3 dev.py test    build .venv if needed, then run the whole test suite
    python3 dev.py setup   build .venv only

The virtual environment is rebuilt whenever requirements.lock or pyproject.toml change
(their sha256 is stamped inside .venv). Extra arguments after the verb are passed on
(to pytest for ``test``, to ``peelstats batch`` for ``main``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".peelstats-env-sha256"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def _env_digest() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.lock", "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def _run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True)


def setup() -> None:
    """Create .venv from the lock (hash-checked) and install peelstats into it, if not current."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"[dev] peelstats needs Python 3.11; this is {sys.version.split()[0]}.")
    wanted = _env_digest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if VENV.exists():
        _say("environment out of date: rebuilding .venv")
        shutil.rmtree(VENV)
    _say("creating .venv and installing the locked dependencies (a few minutes the first time)")
    venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [PYTHON, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    _run(*pip, "install", "--require-hashes", "--no-deps", "-r", LOCK)
    _run(*pip, "install", "--no-deps", "--no-build-isolation", "-e", ROOT)
    STAMP.write_text(wanted + "\n")
    _say("environment ready")


def main(argv: list[str]) -> int:
    verb, rest = (argv[0], argv[1:]) if argv else ("", [])
    if verb not in {"main", "test", "setup"}:
        print(__doc__)
        return 2
    setup()
    if verb == "setup":
        return 0
    if verb == "test":
        command = [PYTHON, "-m", "pytest", *rest]
    else:
        command = [BIN / "peelstats", "batch", "--forces", "all", "--periods", "latest", *rest]
    _say("running: " + " ".join(str(c.name) if isinstance(c, Path) else c for c in command))
    return subprocess.run([str(c) for c in command], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
