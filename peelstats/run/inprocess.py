"""A papermill engine that runs a notebook's cells in this process's own IPython shell.

A batch worker is itself a warm Python process: it was forked from the batch after the
libraries were imported, so a notebook run here pays no kernel start and no imports, and its
outputs never cross a socket. papermill still parameterises the notebook, writes it and raises
``PapermillExecutionError`` on a failing cell, as with its own engine; only the execution is
in-process.

Each notebook runs in a fresh namespace (a new session: no variable of an earlier notebook is
visible), with a fresh warnings registry, in the working folder papermill was given. Outputs
are recorded as a kernel would send them: display data (with its metadata) and execute
results in order, consecutive writes to stdout or stderr joined into one stream output, and a
failing cell as an error output with its traceback, after which no further cell runs.
"""

from __future__ import annotations

import sys
import warnings

import nbformat
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from papermill.engines import Engine, papermill_engines

ENGINE_NAME = "peelstats-inprocess"


_DEFAULTS = {
    "stream": {"name": "stdout", "text": ""},
    "display_data": {"metadata": {}, "data": {}},
    "execute_result": {"metadata": {}, "data": {}, "execution_count": None},
    "error": {"ename": "NotImplementedError", "evalue": "", "traceback": []},
}


def _new_output(output_type: str, **fields) -> nbformat.NotebookNode:
    """An output as ``nbformat.v4.new_output`` makes it, without validating each one against
    the notebook schema as it is recorded (papermill validates the notebook as it writes it)."""
    output = nbformat.NotebookNode(output_type=output_type)
    for key, value in _DEFAULTS[output_type].items():
        output[key] = nbformat.NotebookNode(value) if isinstance(value, dict) else value
    output.update(fields)
    return output


class _Recorder:
    """The outputs of the cell being run."""

    def __init__(self):
        self.outputs: list = []
        self.execution_count = 0

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text
        else:
            self.outputs.append(_new_output("stream", name=name, text=text))


class _Stream:
    """sys.stdout / sys.stderr while a cell runs."""

    def __init__(self, recorder: _Recorder, name: str):
        self.recorder, self.name = recorder, name
        self.encoding = "utf-8"

    def write(self, text) -> int:
        self.recorder.stream(self.name, str(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _Publisher(DisplayPublisher):
    """Display data, as kernels send it."""

    @property
    def recorder(self) -> _Recorder:
        return self.shell.recorder

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
        self.recorder.outputs.append(
            _new_output("display_data", data=data, metadata=metadata or {})
        )

    def clear_output(self, wait=False):
        self.recorder.outputs.clear()


class _Hook(DisplayHook):
    """Execute results (a cell's last expression) as kernels send them."""

    @property
    def recorder(self) -> _Recorder:
        return self.shell.recorder

    def start_displayhook(self):
        self._data, self._metadata = {}, {}

    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None):
        self._data, self._metadata = format_dict, md_dict or {}

    def finish_displayhook(self):
        if self._data:
            self.recorder.outputs.append(
                _new_output(
                    "execute_result", data=self._data, metadata=self._metadata,
                    execution_count=self.recorder.execution_count,
                )
            )  # fmt: skip


class _Shell(InteractiveShell):
    """The process's shell, recording outputs instead of printing them. Cells are compiled
    as ipykernel compiles them (file names /tmp/ipykernel_<pid>/<hash>.py), so warnings and
    tracebacks read as a kernel's do."""

    recorder = _Recorder()
    displayhook_class = _Hook
    display_pub_class = _Publisher

    def init_instance_attrs(self):
        super().init_instance_attrs()
        from ipykernel.compiler import XCachingCompiler

        self.compile = XCachingCompiler()

    def _showtraceback(self, etype, evalue, stb):
        self.recorder.outputs.append(
            _new_output("error", ename=etype.__name__, evalue=str(evalue), traceback=list(stb))
        )


_SHELL: _Shell | None = None


def shell() -> _Shell:
    global _SHELL
    if _SHELL is None:
        from traitlets.config import Config

        config = Config()
        config.HistoryManager.enabled = False  # no history database, no saving thread
        config.InteractiveShell.cache_size = 0
        _SHELL = _Shell.instance(config=config)
        _SHELL.recorder = _Recorder()
    return _SHELL


def new_session(sh: _Shell) -> None:
    """An empty namespace and history, as a new kernel session has (modules stay imported),
    and a fresh warnings registry (so a warning shows again, as in a new kernel)."""
    hidden = sh.user_ns_hidden
    for name in [n for n in sh.user_ns if n not in hidden and not n.startswith("__")]:
        del sh.user_ns[name]
    sh.user_ns.update(_="", __="", ___="")
    sh.execution_count = 1
    warnings._filters_mutated()  # forget which warnings were already shown


def run_cell(sh: _Shell, source: str, count: int) -> tuple[list, bool]:
    """Run one cell; its outputs, and whether it raised."""
    recorder = sh.recorder
    recorder.outputs, recorder.execution_count = [], count
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stream(recorder, "stdout"), _Stream(recorder, "stderr")
    try:
        result = sh.run_cell(source, store_history=False, silent=False)
    finally:
        sys.stdout, sys.stderr = saved
    failed = result.error_before_exec is not None or result.error_in_exec is not None
    return recorder.outputs, failed


class InProcessEngine(Engine):
    """papermill engine: the notebook's code cells run in this process (see module)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        sh = shell()
        new_session(sh)
        count = 0
        for index, cell in enumerate(nb_man.nb.cells):
            if cell.cell_type != "code":
                continue
            nb_man.cell_start(cell, index)
            count += 1
            outputs, failed = run_cell(sh, cell.source, count)
            cell.outputs = outputs
            cell.execution_count = count
            if failed:
                nb_man.cell_exception(cell, cell_index=index)
                nb_man.cell_complete(cell, cell_index=index)
                break
            nb_man.cell_complete(cell, cell_index=index)
        return nb_man.nb


def register() -> str:
    """Make the engine known to papermill (idempotent); returns its name."""
    if ENGINE_NAME not in papermill_engines._engines:
        papermill_engines.register(ENGINE_NAME, InProcessEngine)
    return ENGINE_NAME
