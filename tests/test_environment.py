"""The environment is defined once: pyproject.toml names the dependencies, requirements.lock pins
them (with hashes), and environment.yml installs from that same lock. These tests fail if any of
the three drift apart."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from peelstats.config import PROJECT_ROOT

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
    tomllib = None

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", re.MULTILINE)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins(lock_text: str) -> dict[str, str]:
    return {_normal(name): version for name, version in PIN.findall(lock_text)}


def pip_section(env_text: str) -> list[str]:
    """The lines conda hands to pip (the ``pip:`` entry of the dependencies)."""
    for dep in yaml.safe_load(env_text)["dependencies"]:
        if isinstance(dep, dict) and "pip" in dep:
            return [str(line) for line in dep["pip"]]
    return []


def environment_problems(root: Path) -> list[str]:
    """Every way environment.yml, requirements.lock and pyproject.toml disagree (empty if none)."""
    problems: list[str] = []
    env = (root / "environment.yml").read_text()
    lock = (root / "requirements.lock").read_text()
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]

    if not re.search(r"^\s*-\s*python\s*=\s*3\.11\s*$", env, re.MULTILINE):
        problems.append("environment.yml must pin python=3.11 (as pyproject's requires-python)")
    pip_lines = pip_section(env)
    if pip_lines != ["-r requirements.lock"]:
        problems.append(
            "environment.yml's pip section must be exactly '-r requirements.lock' "
            f"(the hashes in the lock make pip check them), not {pip_lines}"
        )
    # conda packages other than python and pip would bypass the lock
    conda_deps = [d for d in yaml.safe_load(env)["dependencies"] if isinstance(d, str)]
    extra = sorted({re.split(r"[=<>]", d)[0] for d in conda_deps} - {"python", "pip"})
    if extra:
        problems.append(f"environment.yml installs conda packages outside the lock: {extra}")
    # pip pins written straight into environment.yml would bypass the lock too
    for name, version in PIN.findall(env):
        problems.append(f"environment.yml pins {name}=={version} itself instead of via the lock")

    pins = lock_pins(lock)
    wanted = list(project["dependencies"])
    for extra_name in ("test", "build"):
        wanted += project["optional-dependencies"][extra_name]
    for spec in wanted:
        requirement = Requirement(spec)
        version = pins.get(_normal(requirement.name))
        if version is None:
            problems.append(
                f"{requirement.name} is a dependency in pyproject.toml but not in the lock"
            )
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(
                f"the lock pins {requirement.name}=={version}, outside pyproject's '{spec}'"
            )
    for line in lock.splitlines():
        if line and not line.startswith((" ", "#")) and "==" not in line:
            problems.append(f"requirements.lock has an unpinned line: {line!r}")
    if "--hash=sha256:" not in lock:
        problems.append("requirements.lock carries no hashes")
    return problems


def test_environment_yml_and_lock_agree():
    assert environment_problems(PROJECT_ROOT) == []


@pytest.mark.parametrize(
    "mutation, expected",
    [
        # a conda-side pin that the lock doesn't know about
        (
            lambda env, lock: (env.replace("  - pip\n", "  - pip\n  - pandas=2.0\n"), lock),
            "outside the lock",
        ),
        # environment.yml stops using the lock
        (
            lambda env, lock: (env.replace("-r requirements.lock", "pandas==2.0.3"), lock),
            "-r requirements.lock",
        ),
        # an editable install in the same pip call as the hashed lock (pip refuses it)
        (
            lambda env, lock: (
                env.replace("- -r requirements.lock", "- -r requirements.lock\n      - -e ."),
                lock,
            ),
            "exactly",
        ),
        # a different Python
        (lambda env, lock: (env.replace("python=3.11", "python=3.12"), lock), "python=3.11"),
        # the lock loses a dependency pyproject asks for
        (
            lambda env, lock: (env, re.sub(r"^statsmodels==.*$", "", lock, flags=re.M)),
            "statsmodels",
        ),
    ],
)
def test_agreement_check_fails_on_a_deliberate_mismatch(tmp_path, mutation, expected):
    """Proof the agreement check can fail: break a temporary copy and watch it complain."""
    for name in ("environment.yml", "requirements.lock", "pyproject.toml"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    env, lock = mutation(
        (tmp_path / "environment.yml").read_text(), (tmp_path / "requirements.lock").read_text()
    )
    (tmp_path / "environment.yml").write_text(env)
    (tmp_path / "requirements.lock").write_text(lock)
    problems = environment_problems(tmp_path)
    assert any(expected in p for p in problems), problems


def test_conda_pip_section_is_a_valid_pip_requirements_file(tmp_path):
    """conda writes the pip lines to a requirements file beside environment.yml and runs
    ``pip install -r`` on it; pip must accept that file (checked offline, as a dry run)."""
    env = (PROJECT_ROOT / "environment.yml").read_text()
    shutil.copy(PROJECT_ROOT / "requirements.lock", tmp_path / "requirements.lock")
    (tmp_path / "condaenv.requirements.txt").write_text("\n".join(pip_section(env)) + "\n")
    run = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--quiet",
         "--disable-pip-version-check", "-r", "condaenv.requirements.txt"],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]


def test_installed_versions_match_the_lock():
    """The running interpreter has exactly the locked versions of the key packages."""
    from importlib.metadata import version

    pins = lock_pins((PROJECT_ROOT / "requirements.lock").read_text())
    for name in ("pandas", "numpy", "scipy", "statsmodels", "altair", "papermill", "nbval"):
        assert version(name) == pins[name], name


def test_cli_help_and_version():
    out = subprocess.run(
        [sys.executable, "-m", "peelstats", "--version"], capture_output=True, text=True, check=True
    )
    from peelstats import __version__

    assert out.stdout.strip() == f"peelstats, version {__version__}"
    out = subprocess.run(
        [sys.executable, "-m", "peelstats", "--help"], capture_output=True, text=True, check=True
    )
    assert "Usage: peelstats" in out.stdout


def test_config_paths_do_not_depend_on_working_directory(tmp_path):
    code = "from peelstats.config import paths; print(paths().processed)"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=True
        ).stdout
        for cwd in (tmp_path, PROJECT_ROOT, PROJECT_ROOT / "notebooks")
    }
    assert len(outs) == 1
    assert outs.pop().strip() == str(PROJECT_ROOT / "data" / "processed")
