"""Stage 9, the command line: ``drift compare``, ``bench``, ``ingest``, ``stories``, ``check``, ``index``.

Commands only parse options, call the library and turn a DriftError into one
``Error:`` line (``common``). Nothing heavy is imported here: torch and faiss
load on first real use, so ``drift --help`` stays instant.
"""
from __future__ import annotations

import click

from drift.cli import bench, compare, store
from drift.version import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="drift")
def main() -> None:
    """Find where versions of one wire story drifted apart in meaning."""


for _command in (compare.compare, bench.bench, store.ingest, store.stories, store.check, store.index):
    main.add_command(_command)
