"""The faiss index of every stored sentence vector, and its checksummed file.

SQLite holds every vector; this index is a cache that makes nearest-sentence
search fast. So it is written whole to a temporary file and renamed (a crash
never leaves half a file, and the temporary files of a killed writer are
removed by the next one), carries a sha256 of its header fields and bytes (a
truncated, damaged or edited file is caught on open), and records the largest
sentence id it holds (ids only grow, so whatever SQLite committed later is
added on open).

Exact flat search while small; past ``FLAT_LIMIT`` vectors an inverted file
over 8-bit scalar-quantized vectors (IVF-SQ8): a quarter of the RAM of flat
float32, with recall@10 above 0.95 at 1M (see benchmarks/README.md).
"""
from __future__ import annotations

import errno
import hashlib
import json
import math
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drift.errors import IndexStoreError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

#: Up to this many vectors, exact search is fast enough and needs no training.
FLAT_LIMIT = 50_000
#: An IVF index is retrained once the data outgrows its lists this many times over.
REGROW_FACTOR = 4
#: Lists probed per query: tuned for recall@10 >= 0.95 on the 1M benchmark.
NPROBE = 48
TRAIN_PER_LIST = 40
#: Version 2 checksums the header fields too; a version 1 file is rebuilt from SQLite (with a warning).
_MAGIC = b"DRIFTVEC2\n"
_OLD_MAGIC = b"DRIFTVEC1\n"
_PARALLEL_QUERIES = 64  # below this many queries at once, search on one thread
_HEADER_SIZE = 511  # bytes reserved for the JSON header line


def kind_for(count: int) -> str:
    """The index kind chosen for ``count`` vectors: 'flat' or 'ivf<nlist>-sq8'."""
    if count <= FLAT_LIMIT:
        return "flat"
    return f"ivf{nlist_for(count)}-sq8"


def nlist_for(count: int) -> int:
    """About 4·sqrt(n) lists, rounded to a power of two (1024 at 100k, 4096 at 1M)."""
    return int(2 ** max(6, round(math.log2(4 * math.sqrt(max(count, 1))))))


@dataclass(frozen=True)
class FileHeader:
    """What the first line of an index file says about the bytes that follow."""

    kind: str
    dim: int
    count: int
    max_id: int
    sha256: str
    generation: int = 0  # bumped when every vector is replaced (a rebuild with another model)

    def checked_fields(self) -> bytes:
        """Everything but the checksum, canonically: the checksum covers these, then the index bytes."""
        fields = {k: v for k, v in self.__dict__.items() if k != "sha256"}
        return json.dumps(fields, sort_keys=True).encode() + b"\n"


class VectorIndex:
    """Inner-product (cosine) search over sentence vectors keyed by sentence id."""

    def __init__(self, dim: int, kind: str = "flat", index: Any = None, max_id: int = 0,
                 generation: int = 0, sha256: str = "") -> None:
        self.dim = dim
        self.kind = kind
        self.max_id = max_id
        self.generation = generation
        self.index = index if index is not None else _new_index(kind, dim, None)
        #: The checksum of the file this index was last read from or written to ("" before either).
        self.sha256 = sha256

    @property
    def count(self) -> int:
        return int(self.index.ntotal)

    # -- building ------------------------------------------------------------
    @classmethod
    def build(cls, dim: int, count: int, chunks: "Iterable[tuple[np.ndarray, np.ndarray]]",
              sample: "np.ndarray | None" = None, generation: int = 0) -> "VectorIndex":
        """A fresh index of the kind ``count`` vectors call for, from (ids, vectors) chunks.

        An IVF kind is trained on ``sample`` (a random subset of the vectors).
        """
        kind = kind_for(count)
        vi = cls(dim, kind, _new_index(kind, dim, sample), generation=generation)
        for ids, vectors in chunks:
            vi.add(ids, vectors)
        return vi

    def add(self, ids: "np.ndarray", vectors: "np.ndarray") -> None:
        """Add vectors under their sentence ids (which must exceed every id held)."""
        import numpy as np

        if len(ids) == 0:
            return
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
        self.max_id = max(self.max_id, int(ids.max()))

    def wants_rebuild(self) -> bool:
        """Whether the data outgrew this kind: flat past FLAT_LIMIT, or IVF lists too few."""
        wanted = kind_for(self.count)
        if wanted == self.kind:
            return False
        if self.kind == "flat" or wanted == "flat":
            return True
        return nlist_for(self.count) >= REGROW_FACTOR * _nlist(self.kind)

    # -- searching -----------------------------------------------------------
    def search(self, vectors: "np.ndarray", k: int) -> tuple["np.ndarray", "np.ndarray"]:
        """(similarities, sentence ids), both [n, k], best first; missing neighbours have id -1."""
        import numpy as np

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if self.count == 0 or len(vectors) == 0:
            return np.zeros((len(vectors), k), np.float32), np.full((len(vectors), k), -1, np.int64)
        if len(vectors) >= _PARALLEL_QUERIES:
            return self._search(vectors, k)
        # A few queries cost less than waking OpenMP threads (tens of ms when a core is busy).
        import faiss

        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            return self._search(vectors, k)
        finally:
            faiss.omp_set_num_threads(threads)

    def _search(self, vectors: "np.ndarray", k: int) -> tuple["np.ndarray", "np.ndarray"]:
        sims, ids = self.index.search(vectors, k)
        return sims, ids

    # -- files -----------------------------------------------------------------
    def save(self, path: Path, on_sealed: "Callable[[str], None] | None" = None) -> None:
        """Write to a temporary name, flush to disk and rename: readers see the old or the new file.

        The index is streamed to disk (no second copy in RAM); the header, written
        last into its reserved slot, carries the checksum of its own fields and the
        bytes after it. ``on_sealed`` is given that checksum once the file is on disk, just
        before the rename (the index records it: ``drift.store.sync``). The caller holds
        the index's write lock, so any other temporary file is a killed writer's and is
        removed. A failed write (a full disk) leaves no temporary file behind.
        """
        import faiss

        remove_temporaries(path)
        header = FileHeader(self.kind, self.dim, self.count, self.max_id, "", self.generation)
        digest = hashlib.sha256(header.checked_fields())
        tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        try:
            with open(tmp, "wb") as f:
                f.write(_MAGIC + b" " * _HEADER_SIZE + b"\n")

                def write(chunk: bytes) -> int:
                    digest.update(chunk)
                    return f.write(chunk)

                writer = faiss.PyCallbackIOWriter(write)  # type: ignore[attr-defined]  # SWIG, not in the stubs
                faiss.write_index(self.index, writer)
                del writer  # flushes faiss's buffer through ``write``
                f.seek(len(_MAGIC))
                sealed = FileHeader(**{**header.__dict__, "sha256": digest.hexdigest()})
                f.write(json.dumps(sealed.__dict__).encode().ljust(_HEADER_SIZE))
                f.flush()
                os.fsync(f.fileno())
            if on_sealed is not None:
                on_sealed(digest.hexdigest())
            os.replace(tmp, path)
        except BaseException as e:
            tmp.unlink(missing_ok=True)
            if not isinstance(e, (OSError, RuntimeError)):
                raise
            why = e.strerror if isinstance(e, OSError) and e.strerror else str(e).splitlines()[0][:200]
            full = isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT) or "space" in why
            raise IndexStoreError(
                f"{path}: cannot write the vector file ({why}); the database is intact: "
                + ("free some space and run again" if full else "check the disk, then run `drift index rebuild`")
            ) from None
        _fsync_dir(path.parent)
        self.sha256 = digest.hexdigest()

    @classmethod
    def load(cls, path: Path) -> "VectorIndex":
        """Read and check a file; IndexStoreError if it is missing, truncated, damaged or edited."""
        import faiss

        try:
            f = open(path, "rb")
        except FileNotFoundError as e:
            raise IndexStoreError(f"{path}: vector index file missing; run `drift index rebuild`") from e
        with f:
            header = _parse_header(f.read(len(_MAGIC) + _HEADER_SIZE + 1), path)
            start = f.tell()
            digest = hashlib.sha256(header.checked_fields())
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
            if digest.hexdigest() != header.sha256:
                raise IndexStoreError(f"{path}: vector index file is truncated or damaged (checksum mismatch); "
                                      "run `drift index rebuild`")
            f.seek(start)
            try:
                index = faiss.read_index(faiss.PyCallbackIOReader(f.read))  # type: ignore[attr-defined]
            except RuntimeError as e:  # pragma: no cover - the checksum catches damage first
                raise IndexStoreError(f"{path}: faiss cannot read the vector index; run `drift index rebuild`") from e
        if int(index.d) != header.dim or int(index.ntotal) != header.count:
            raise IndexStoreError(f"{path}: vector file header says {header.count} vectors of {header.dim} "
                                  f"dimensions, the index holds {index.ntotal} of {index.d}; run `drift index rebuild`")
        _tune(index, header.kind)
        return cls(header.dim, header.kind, index, header.max_id, header.generation, header.sha256)


def remove_temporaries(path: Path) -> list[Path]:
    """Remove ``vectors.faiss.tmp-PID`` files of writers that died mid-save; only call holding the write lock."""
    removed = []
    for stale in path.parent.glob(f"{path.name}.tmp-*"):
        try:
            stale.unlink()
            removed.append(stale)
        except OSError:  # pragma: no cover - gone already, or not ours to remove
            continue
    return removed


def _parse_header(raw: bytes, path: Path) -> FileHeader:
    bad = IndexStoreError(f"{path}: not a drift vector index file (bad header); run `drift index rebuild`")
    if raw.startswith(_OLD_MAGIC):
        raise IndexStoreError(f"{path}: vector file of an older drift (format 1, header not checksummed); "
                              "run `drift index rebuild`")
    if not raw.startswith(_MAGIC) or len(raw) < len(_MAGIC) + _HEADER_SIZE + 1:
        raise bad
    try:
        header = FileHeader(**json.loads(raw[len(_MAGIC):-1]))
    except (ValueError, TypeError) as e:
        raise bad from e
    numbers = (header.dim, header.count, header.max_id, header.generation)
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers) \
            or not isinstance(header.kind, str) or not isinstance(header.sha256, str):
        raise bad
    return header


def _nlist(kind: str) -> int:
    return int(kind[3:].split("-")[0])


def _new_index(kind: str, dim: int, sample: "np.ndarray | None") -> Any:
    import faiss

    if kind == "flat":
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFScalarQuantizer(quantizer, dim, _nlist(kind), faiss.ScalarQuantizer.QT_8bit,
                                          faiss.METRIC_INNER_PRODUCT)
    if sample is None or len(sample) < _nlist(kind):
        raise IndexStoreError(f"an {kind} index needs a training sample of at least {_nlist(kind)} vectors")
    index.train(sample)
    _tune(index, kind)
    return index


def _tune(index: Any, kind: str) -> None:
    if kind != "flat":
        index.nprobe = NPROBE


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (POSIX: the directory entry lives in the directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def training_size(count: int) -> int:
    """How many vectors to sample to train the IVF kind ``count`` vectors call for."""
    return min(count, TRAIN_PER_LIST * nlist_for(count))
