"""``drift bench``: find the source checkout's benchmark suite and run it.

benchmarks/ holds comparison code and reads data that is never shipped, so it is
not part of the installed package: ``drift bench`` works from a source checkout
(``pip install -e .``, as ``make install`` does) and says so otherwise.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import click

from drift.cli.common import emit, interrupted
from drift.cli.common import run as run_command
from drift.errors import ConfigError, Param, choices

#: Where a source checkout keeps the suite, next to the package.
SUITE = Path(__file__).resolve().parents[2] / "benchmarks" / "suite.py"


def suite_module() -> ModuleType:
    """benchmarks/suite.py next to this package, loaded from its file."""
    path = SUITE
    if not path.exists():
        raise ConfigError(f"{path.parent}: no benchmark suite (drift is not installed from a source checkout); "
                          "clone the repository and run `pip install -e .` or `python -m benchmarks` there")
    spec = importlib.util.spec_from_file_location("drift_benchmark_suite", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def run(out: Path, data: Path | None = None, seeds: Path | None = None, gold: Path | None = None,
        quick: bool = False, runs: int | None = None, only: list[str] | None = None,
        command: str = "drift bench") -> str:
    """Run the suite; results.json, results.md and plots go to ``out``. Returns the Markdown table."""
    return run_suite(out, data, seeds, gold, quick, runs, only, command)[1]


def run_suite(out: Path, data: Path | None = None, seeds: Path | None = None, gold: Path | None = None,
              quick: bool = False, runs: int | None = None, only: list[str] | None = None,
              command: str = "drift bench") -> tuple[list[str], str]:
    """``run``, and the benchmarks that failed."""
    suite = suite_module()
    names = [b.name for b in suite.BENCHMARKS]
    if only is not None and not only:  # an empty selection is no "every benchmark": that takes hours
        # the command line's --only "" or " , " is said as the flag alone, the library's only=[] as passed
        raise ConfigError(Param("only", f"only={only!r}"), f": names no benchmark; choose from {choices(names)}")
    unknown = sorted(set(only or []) - set(names))
    if unknown:
        raise ConfigError(f"unknown benchmark {unknown[0]!r}; choose from {choices(names)}")
    try:  # before the first benchmark: a typo in --out must not cost a run
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ConfigError(f"--out {out}: cannot create the folder ({e.strerror or e}); give a writable directory") \
            from e
    shared = suite.SHARED
    ctx = suite.Context(data or shared / "data", seeds or shared / "seeds",
                        gold or shared / "gold" / "seeds_public.json", quick, runs or (1 if quick else 3))
    results = suite.run_suite(ctx, out, only, command)
    return suite.failed(results), suite.markdown(results)


@click.command()
@click.option("--data", type=click.Path(file_okay=False),
              help="Evaluation data (demetr/, ists/, mqm/); default ../shared/data.")
@click.option("--seeds", type=click.Path(file_okay=False), help="The seed story; default ../shared/seeds.")
@click.option("--gold", type=click.Path(dir_okay=False), help="Seed gold; default ../shared/gold/seeds_public.json.")
@click.option("--out", default="bench-out", show_default=True, type=click.Path(file_okay=False),
              help="Where results.json, results.md and the plots go.")
@click.option("--quick", is_flag=True, help="Small sizes (minutes): a smoke test, not figures to publish.")
@click.option("--runs", type=click.IntRange(1), help="Timed runs per speed figure (default 3, quick 1).")
@click.option("--only", metavar="NAMES", help="Comma-separated benchmarks to run (default: all).")
def bench(data: str | None, seeds: str | None, gold: str | None, out: str, quick: bool, runs: int | None,
          only: str | None) -> None:
    """Run every benchmark (accuracy, speed, scale) from the source checkout; print the table.

    A missing dataset skips its benchmark with a line saying what to download. A benchmark that fails is one
    line on stderr and a row of the table; the others run, and the exit status is 1.
    """
    def action() -> None:
        try:
            failed, table = run_suite(Path(out), _path(data), _path(seeds), _path(gold), quick=quick, runs=runs,
                                      only=None if only is None else names_of(only),
                                      command=" ".join(["drift", *sys.argv[1:]]))
        except KeyboardInterrupt as stop:  # the suite's Interrupted names where the finished results went
            kept = getattr(stop, "kept", None)
            interrupted(f"interrupted; the results of the benchmarks that finished are in {kept}" if kept
                        else "interrupted")
        emit(table)
        if failed:  # the others ran and are in the table; the exit status says the run is not whole
            click.echo(f"Error: {', '.join(failed)} failed (see the lines above); the others' results are in "
                       f"{Path(out) / 'results.json'}", err=True)
            sys.exit(1)

    run_command(False, action)


def names_of(only: str) -> list[str]:
    """``--only``'s benchmark names: comma-separated, spaces around a name ignored, each once, in order."""
    return list(dict.fromkeys(name.strip() for name in only.split(",") if name.strip()))


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
