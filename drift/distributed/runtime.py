"""Where a distributed job runs: the Ray already started in this process, a cluster, or a local Ray.

Ray is imported only inside these functions, so ``import drift``, ``drift --help``
and ``drift compare`` never load it (tests/test_cli.py checks). Ray's own logs and
progress bars stay off stderr: the library never prints.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from drift import errors
from drift.errors import (
    ConfigError,
    DriftError,
    JobError,
    Param,
    check_count,
    check_type,
    given,
    param,
    suggested,
)

log = logging.getLogger("drift")
#: Ray's loggers, quiet below errors while drift runs a job.
_LOGGERS = ("ray", "ray.data", "ray.train", "ray.tune")
#: A DriftError a worker raised, as the traceback in a Ray error's text shows it (its message is one line).
_DRIFT_ERROR = re.compile(r"^drift\.errors\.(\w+): (.+)$", re.MULTILINE)
#: ``RayOptions.address`` (``connect``'s ``address``) on a command line (``ray_address`` in click).
ADDRESS_OPTION = "--ray-address"
#: A distributed ingest, and what to run instead of it, as messages name them: a library caller called
#: ``drift.distributed.ingest``, which has no engine argument (``Index.add_many`` stores in this process);
#: a command line chose ``--engine ray`` and can choose ``--engine local``.
RAY_INGEST = Param("engine", "drift.distributed.ingest", "ray")
LOCAL_INGEST = Param("engine", "a local ingest (read_articles, then Index.add_many)", "local")


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide a distributed job runs."""

    address: str | None = None  # a Ray cluster; default $RAY_ADDRESS, else a local Ray on this machine
    workers: int | None = None  # actors that embed or compare; default one per CPU of the cluster
    silent: bool = False  # Ray's C++ core logs off stderr: for a command line, which owns its process

    def __post_init__(self) -> None:
        if self.workers is not None:
            check_count("workers", self.workers, 4)
        check_type(self.address, (str, type(None)), "RayOptions: address", "a str (or None)")


@contextlib.contextmanager
def ray_session(address: str | None = None, num_cpus: int | None = None, silent: bool = False) -> Iterator[None]:
    """Ray for the length of a job: the one already started in this process is reused (and left running);
    otherwise ``address`` (default ``$RAY_ADDRESS``) is connected to, or a local Ray with ``num_cpus`` CPUs
    (default: all) is started, and shut down afterwards.

    ``silent`` (for a command line, which owns its process): Ray's C++ core logs only fatal errors
    (unless ``RAY_BACKEND_LOG_LEVEL`` says otherwise), so a normal job prints nothing of Ray's on stderr,
    and Ray's driver events, which it prints to stdout, are dropped (the results go there).
    """
    require_ray()
    import ray

    quiet(silent)
    with _stdout_closed(silent):
        started = False
        if not ray.is_initialized():
            if silent:
                os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
            with _stderr_closed(silent):
                connect(address, num_cpus)
            quiet(silent)  # ray.init() set up Ray's loggers anew
            started = True
        elif address and address != ray.get_runtime_context().gcs_address:
            log.warning("Ray already runs in this process (cluster %s), so the job runs there, not at address=%r; "
                        "call ray.shutdown() first to use that cluster", ray.get_runtime_context().gcs_address, address)
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", module=r"ray\.")  # advice about pool sizes and the like
                yield
        finally:
            if started:
                ray.shutdown()  # joins Ray's error listener: nothing of it is printed after this


def require_ray(ingest: bool = False) -> None:
    """Ray Data, or one ConfigError line: an install without it is a setup to fix, not a bug in drift.

    The line names ``engine='ray'`` (``compare_stories``' argument, ``--engine ray`` on a command line), or
    with ``ingest`` the distributed ingest, which has no engine argument.
    """
    try:
        import ray.data  # noqa: F401
    except ImportError as e:
        engine, instead = (RAY_INGEST, LOCAL_INGEST) if ingest else (suggested("engine", "ray"),
                                                                     suggested("engine", "local"))
        raise ConfigError(engine, f" needs Ray Data, which cannot be imported here ({e}); install it with "
                          "`pip install -r requirements.txt` (ray[data]), or use ", instead) from e


@contextlib.contextmanager
def _stdout_closed(closed: bool) -> Iterator[None]:
    """``sys.stdout`` on /dev/null for the job: Ray's driver prints its cluster events ("(raylet) A worker
    died ...", "Task ... will be retried") to stdout, where a command line's results go. They stay in Ray's logs.
    """
    if not closed:
        yield
        return
    with open(os.devnull, "w") as null, contextlib.redirect_stdout(null):
        yield


@contextlib.contextmanager
def _stderr_closed(closed: bool) -> Iterator[None]:
    """File descriptor 2 on /dev/null while Ray starts (its C++ core announces its log level there)."""
    if not closed:
        yield
        return
    import sys

    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def connect(address: str | None = None, num_cpus: int | None = None) -> None:
    """Start or join Ray; a cluster that cannot be reached is one ConfigError line naming where its address
    came from (``address``, ``--ray-address`` on a command line, else ``$RAY_ADDRESS``), as that is what to fix.
    ``ray_session`` quiets Ray's console after it."""
    target = address or os.environ.get("RAY_ADDRESS") or "local"
    named: tuple[str | Param, ...] = (f"$RAY_ADDRESS {target}",)
    fix: tuple[str | Param, ...] = ("unset RAY_ADDRESS",)
    if address:
        named = (given("address", address, quoted=False, option=ADDRESS_OPTION),)
        fix = ("leave ", param("address", option=ADDRESS_OPTION), " out")
    _check_reachable(target, named, fix)
    import ray

    options: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR,
                               "configure_logging": True}
    if target == "local":
        options.update(num_cpus=num_cpus, include_dashboard=False)
    try:
        ray.init(address=target, **options)
    except (ConnectionError, RuntimeError, ValueError, TimeoutError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        if target == "local":
            raise JobError(f"cannot start a local Ray ({first}); check `ray status`, free memory and /tmp") from e
        raise ConfigError(*named, f": cannot connect to a Ray cluster ({first}); start one with "
                          "`ray start --head` there, or ", *fix, " to run on this machine") from e


def _check_reachable(target: str, named: tuple[str | Param, ...], fix: tuple[str | Param, ...],
                     seconds: float = 10.0) -> None:
    """A ``host:port`` (or ``ray://host:port``) nobody listens on: Ray would retry for minutes, deaf to
    SIGTERM, so one TCP connection tells first. An ``http://`` address is a dashboard's (Ray's job submission
    docs export one as RAY_ADDRESS), which ``ray.init`` cannot join."""
    import socket

    if target.lower().startswith(("http://", "https://")):
        raise ConfigError(*named, ": a Ray dashboard (job submission) address, not a cluster's; give "
                          "HEAD:6379, or ray://HEAD:10001 through Ray Client, or ", *fix, " to run on this machine")
    host, sep, port = target.removeprefix("ray://").rpartition(":")
    if not sep or not host or not port.isdigit():
        return  # "local", "auto" and anything else: Ray's own checks
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=seconds).close()
    except (OSError, ValueError) as e:
        why = "no such host" if isinstance(e, socket.gaierror) else "nothing answers there"
        raise ConfigError(*named, f": cannot connect to a Ray cluster ({type(e).__name__}: {why}); "
                          "start one with `ray start --head` there, or ", *fix, " to run on this machine") from e


def quiet(silent: bool = False) -> None:
    """Ray's console logs at errors only (Ray Data's own log file in the session directory keeps the rest).

    ``silent`` (a command line): none at all. A failed job is drift's one ``Error:`` line; Ray Data would
    first log its own stack traces ("Exception occurred in Ray Data or Ray Core internal code"), a hundred
    lines for a worker that cannot load the model.
    """
    import ray.data  # noqa: F401 - it sets up its loggers on import: quiet them after

    level = logging.CRITICAL + 1 if silent else logging.ERROR
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        consoles = [h for h in logger.handlers  # Ray's own console handlers, not its log files nor anyone else's
                    if type(h).__module__.split(".")[0] == "ray" and "File" not in type(h).__name__]
        for handler in consoles:
            handler.setLevel(level)
        if not consoles and logger.propagate:
            logger.setLevel(level)


def configured(ds: Any, ordered: bool = False) -> Any:
    """``ds`` without progress bars, execution plans or statistics on stderr; ``ordered``: rows in input order.

    Set on this dataset's own context, not Ray's global one, which the caller's own jobs may use.
    """
    ctx = ds.context
    ctx.enable_progress_bars = False
    ctx.enable_operator_progress_bars = False
    ctx.enable_auto_log_stats = False
    ctx.print_on_execution_start = False
    ctx.verbose_stats_logs = False
    ctx.execution_options.preserve_order = ordered
    return ds


def cluster_cpus() -> int:
    """Logical CPUs of the cluster Ray is connected to."""
    import ray

    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def is_ray_error(error: BaseException) -> bool:
    """Whether an exception comes from Ray (a task or actor that failed for good, a lost cluster)."""
    return type(error).__module__.split(".")[0] == "ray"


def job_error(error: BaseException, what: str) -> DriftError:
    """A Ray failure as one line: a DriftError a worker raised (a model it cannot load) as itself, the line a
    local run gives; anything else (a task that kept failing after its retries, a lost node) as a JobError."""
    raised = [(name, message) for name, message in _DRIFT_ERROR.findall(str(error))
              if isinstance(getattr(errors, name, None), type) and issubclass(getattr(errors, name), DriftError)]
    if raised:
        name, message = raised[-1]  # the outermost, if one was raised while handling another
        return errors.from_record(message.strip(), getattr(errors, name))  # a worker's record: whole
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    cause = next((line for line in reversed(lines) if ":" in line and not line.startswith("File ")),
                 lines[-1] if lines else type(error).__name__)
    return JobError(f"{what} failed on Ray ({type(error).__name__}: {cause[:300]}); "
                    "run the same command again to resume: merged shards are skipped")
