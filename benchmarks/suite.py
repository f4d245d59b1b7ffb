"""Every benchmark in one command: results.json, results.md and PNG plots in --out.

    python -m benchmarks [--data ../shared/data] [--seeds ../shared/seeds] [--out bench-out] [--quick] [--only a,b]

Each benchmark is one adapter in ``BENCHMARKS`` (``suite_adapters.py``): what it needs (a missing dataset
skips it with a line saying what to get), how to run it (an existing benchmark's
own function), and the rows it reports: figure, drift's value, the baseline
measured in the same run, and their ratio. Each runs in a child process, so a
crash never stops the others and its peak memory is its own.
Progress goes to stderr; the Markdown table goes to stdout.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
sys.path[:0] = [str(HERE), str(ROOT)]

from compare_speed import log  # noqa: E402
from suite_adapters import BENCHMARKS, Context  # noqa: E402

# ---------------------------------------------------------------- running and writing


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    return {"cpus": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem / 2**20, 1), "python": platform.python_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def run_child(name: str, ctx: Context, out: Path) -> None:
    """Child process: run one benchmark and write out/NAME.json; an error is one line on stderr, recorded there
    as ``failed``, and exit status 1 (``DRIFT_DEBUG=1``: the traceback); Ctrl-C exits 130 without one."""
    bench = next(b for b in BENCHMARKS if b.name == name)
    started = time.perf_counter()
    try:
        result = bench.run(ctx)
        payload = {"result": result, "rows": bench.rows(result), "seconds": round(time.perf_counter() - started, 1)}
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - said in one line; the parent goes on with the others
        if os.environ.get("DRIFT_DEBUG"):
            raise
        why = f"{type(error).__name__}: {error}"
        log(f"{name}: {why} (run again with DRIFT_DEBUG=1 for the traceback)")
        _write(out / f"{name}.json", json.dumps({"failed": why}))
        sys.exit(1)
    _write(out / f"{name}.json", json.dumps(payload, indent=2))


def _write(path: Path, text: str) -> None:
    """Write a file whole or not at all (a crash or Ctrl-C mid-write leaves the previous one). A path typed in
    bytes that are no UTF-8 (in the command, a skip's reason) is written as its escape, ``\\udcff``."""
    part = path.with_name(path.name + ".part")
    try:
        part.write_text(text, encoding="utf-8", errors="backslashreplace")
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C after some benchmarks finished: their results were written to ``kept``."""

    def __init__(self, kept: Path) -> None:
        super().__init__(str(kept))
        self.kept = kept


def _write_results(results: dict, out: Path) -> None:
    texts = {"results.json": json.dumps(results, indent=2) + "\n", "results.md": markdown(results) + "\n"}
    for name, text in texts.items():  # both made before either is written: never a new one beside an old one
        _write(out / name, text)


def run_suite(ctx: Context, out: Path, only: list[str] | None = None, command: str | None = None) -> dict:
    """Run the chosen benchmarks, each in a child process; a skip or crash is recorded, never raised."""
    out.mkdir(parents=True, exist_ok=True)
    results: dict = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                     "command": command or " ".join(["python -m benchmarks", *sys.argv[1:]]), "machine": machine(),
                     "quick": ctx.quick, "runs": ctx.runs, "benchmarks": {}}
    for bench in BENCHMARKS:
        if only and bench.name not in only:
            continue
        reason = bench.needs(ctx)
        if reason:
            log(f"skipped {bench.name}: {reason}")
            results["benchmarks"][bench.name] = {"skipped": reason}
            continue
        log(f"running {bench.name}")
        done = out / f"{bench.name}.json"
        done.unlink(missing_ok=True)  # an earlier run's, left by a Ctrl-C, is no result of this one
        cmd = [sys.executable, str(HERE / "suite.py"), "--child", bench.name, "--out", str(out),
               "--data", str(ctx.data), "--seeds", str(ctx.seeds), "--gold", str(ctx.gold),
               "--runs", str(ctx.runs)] + (["--quick"] if ctx.quick else [])
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException as stop:  # Ctrl-C (or a kill) of this process: the child must not run on for hours
            proc.kill()
            proc.wait()
            if isinstance(stop, KeyboardInterrupt) and any("rows" in e for e in results["benchmarks"].values()):
                # the benchmarks already finished took minutes or hours: their results are kept
                results["benchmarks"][bench.name] = {"failed": "interrupted (Ctrl-C)"}
                _write_results(results, out)
                raise Interrupted(out / "results.json") from None
            raise
        code = os.waitstatus_to_exitcode(status)
        entry = json.loads(done.read_text(encoding="utf-8")) if done.exists() else {}
        done.unlink(missing_ok=True)
        if code != 0 or "failed" in entry:
            why = f"exit status {code}" + (f": {entry['failed']}" if "failed" in entry else "")
            log(f"failed {bench.name} ({why}); the others go on")
            results["benchmarks"][bench.name] = {"failed": why}
            continue
        entry["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
        results["benchmarks"][bench.name] = entry
    _write_results(results, out)
    from plots import plot_all

    for line in plot_all(results, out):
        log(line)
    return results


def _fmt(x) -> str:
    if x is None:
        return ""
    return f"{x:,.3f}".rstrip("0").rstrip(".") if isinstance(x, float) else str(x)


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [f"Date: {results['date']}. Command: `{results['command']}`. Machine: {m['cpus']} CPUs ({m['cpu']}), "
             f"{m['ram_gib']} GiB RAM, Python {m['python']}, load average at start {m['load_average']}."
             + (" Quick mode: small sizes, not comparable with a full run." if results["quick"] else ""), "",
             "| benchmark | figure | drift | baseline (same run) | baseline value | ratio | target | peak RSS MB |",
             "|---|---|---:|---|---:|---:|---|---:|"]
    for name, entry in results["benchmarks"].items():
        if "rows" not in entry:
            said = f"skipped: {entry['skipped']}" if "skipped" in entry else f"failed: {entry.get('failed')}"
            lines.append(f"| {name} | {said} | | | | | | |")
            continue
        for r in entry["rows"]:
            lines.append(f"| {name} | {r['figure']} | {_fmt(r['value'])} | {r['baseline']} "
                         f"| {_fmt(r['baseline_value'])} | {_fmt(r['ratio'])} | {r['target']} "
                         f"| {_fmt(entry['peak_rss_mb'])} |")
    for bench in BENCHMARKS:
        entry = results["benchmarks"].get(bench.name, {})
        if bench.markdown and "result" in entry:
            lines += ["", f"### {bench.name}", "", bench.markdown(entry["result"])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data", help="evaluation data (demetr/, ists/)")
    parser.add_argument("--seeds", type=Path, default=SHARED / "seeds", help="the seed story (seed gold)")
    parser.add_argument("--gold", type=Path, default=SHARED / "gold" / "seeds_public.json", help="seed gold file")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out", help="where results and plots go")
    parser.add_argument("--quick", action="store_true", help="small sizes: minutes, for smoke tests")
    parser.add_argument("--runs", type=int, default=None, help="timed runs per speed figure (default 3, quick 1)")
    parser.add_argument("--only", help="comma-separated benchmark names: " + ", ".join(b.name for b in BENCHMARKS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    ctx = Context(args.data, args.seeds, args.gold, args.quick, runs)
    if args.child:
        run_child(args.child, ctx, args.out)
        return
    from drift.cli.bench import names_of

    only = None if args.only is None else names_of(args.only)
    if only == []:  # not "every benchmark": that takes hours
        parser.error(f"--only {args.only!r} names no benchmark; choose from {', '.join(b.name for b in BENCHMARKS)}")
    unknown = set(only or []) - {b.name for b in BENCHMARKS}
    if unknown:
        parser.error(f"unknown benchmark {sorted(unknown)}; choose from {', '.join(b.name for b in BENCHMARKS)}")
    try:
        results = run_suite(ctx, args.out, only)
    except Interrupted as stop:
        log(f"interrupted; the results of the benchmarks that finished are in {stop.kept}")
        sys.exit(130)
    except KeyboardInterrupt:
        log("interrupted")
        sys.exit(130)
    print(markdown(results))
    if failed(results):
        sys.exit(f"{', '.join(failed(results))} failed (see the lines above); the others' results are in "
                 f"{args.out / 'results.json'}")


def failed(results: dict) -> list[str]:
    """The benchmarks of a run that failed (a skip is no failure)."""
    return [name for name, entry in results["benchmarks"].items() if "failed" in entry]


if __name__ == "__main__":
    main()
