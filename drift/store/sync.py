"""The vector file of an index directory, kept in step with what SQLite committed.

SQLite is the source of truth; ``vectors.faiss`` is a cache of its vectors for fast
search. On open the file is loaded (or rebuilt from SQLite when damaged or out of
date), then whatever SQLite committed after it is added; it is written back every
``SAVE_EVERY`` new vectors and on close.

Each file written is recorded in SQLite's meta (``WRITTEN_KEY``: its checksum), so a
file this index never wrote (another index's of the same model, copied in) is not
trusted on open but rebuilt like a damaged one. Loading already checksums the whole
file against its header, so comparing that checksum with the recorded one costs
nothing more.
"""
from __future__ import annotations

import logging
from pathlib import Path

from drift.errors import IndexStoreError
from drift.store.database import Store
from drift.store.paths import VECTOR_NAME
from drift.store.vectors import FLAT_LIMIT, VectorIndex, training_size

log = logging.getLogger("drift")

VECTOR_FILE = VECTOR_NAME
#: Write the vector file after this many new vectors (and on close); in between, open catches up from SQLite.
SAVE_EVERY = 20_000
#: The meta key of the vector files this index wrote: the checksum of the last one, then of the one before it.
#: A writer records it just before its rename, so a reader that loaded the one before still finds it there; an
#: index of an older drift has none (any file is trusted, as then) until its vector file is next written.
WRITTEN_KEY = "vector_file"


class VectorCache:
    """The in-memory faiss index of one index directory, and how far it runs ahead of its file."""

    def __init__(self, store: Store, directory: Path) -> None:
        self.store = store
        self.file = directory / VECTOR_FILE
        self.vectors: VectorIndex | None = None
        #: Vectors added since the file was last written.
        self.unsaved = 0
        #: What was repaired, one line each, for the caller (the library never prints).
        self.warnings: list[str] = []

    def sync(self, dim: int) -> VectorIndex:
        """Load, repair and catch up, so the index holds every vector SQLite committed."""
        generation = self.store.generation()
        if self.vectors is not None and self.vectors.generation != generation:
            self.vectors = None
        if self.vectors is None:
            try:
                loaded = VectorIndex.load(self.file) if self.file.exists() else None
                if loaded is not None and loaded.generation != generation:
                    raise IndexStoreError(f"{self.file}: vector file predates a rebuild; run `drift index rebuild`")
                if loaded is not None and loaded.dim != dim:  # another index's file: faiss asserted at the search
                    raise IndexStoreError(self._other_dim(loaded.dim, dim))
                if loaded is not None and not self._wrote(loaded.sha256):
                    raise IndexStoreError(self._not_written())
                if loaded is not None and loaded.max_id > self.store.max_sentence_id():
                    # Ids only grow, so the file holds sentences this database never had (a database restored from
                    # a backup, or one that lost its last batches): their ids go to new sentences of other stories.
                    raise IndexStoreError(f"{self.file}: vector file holds sentences the database does not "
                                          "(a database restored from a backup?); run `drift index rebuild`")
            except IndexStoreError as problem:
                # The problem's own fix ("run drift index rebuild") is what happens next: not worth saying.
                warning = f"{str(problem).split('; ')[0]}; rebuilding it from the database"
                log.warning("%s", warning)
                self.warnings.append(warning)
                loaded = None
                self.unsaved += 1  # write the repaired file on close
            self.vectors = loaded if loaded is not None else self._build(dim, generation)
        for ids, vectors in self.store.vector_chunks(after=self.vectors.max_id):
            self.vectors.add(ids, vectors)
            self.unsaved += len(ids)
        return self.vectors

    def _build(self, dim: int, generation: int) -> VectorIndex:
        count = self.store.counts()["vectors"]
        sample = self.store.sample_vectors(training_size(count)) if count > FLAT_LIMIT else None
        return VectorIndex.build(dim, count, self.store.vector_chunks(), sample, generation)

    def rebuild(self, dim: int) -> None:
        """A new index of every stored vector (a new kind, or a new model), written at once."""
        self.vectors = self._build(dim, self.store.generation())
        self.save()

    def save(self) -> None:
        if self.vectors is not None:
            self.vectors.save(self.file, self._record)
        self.unsaved = 0

    def _written(self) -> list[str] | None:
        """The checksums of the last vector files written, newest first; None if none was recorded."""
        value = self.store.meta().get(WRITTEN_KEY)
        return value.split() if value else None

    def _wrote(self, sha256: str) -> bool:
        """Whether this index wrote the file of this checksum (true when it never recorded one: an older drift's)."""
        written = self._written()
        return written is None or sha256 in written

    def _record(self, sha256: str) -> None:
        """Record the file about to be renamed into place (the caller holds the write lock)."""
        written = self._written() or []
        if written[:1] != [sha256]:
            self.store.set_meta({WRITTEN_KEY: " ".join([sha256, *written[:1]])})

    def drop(self) -> None:
        """Forget the in-memory index (it may hold vectors of a rolled-back batch); the next sync reloads."""
        self.vectors = None

    def save_if_due(self) -> None:
        """After a batch: regrow the index when it outgrew its kind, write it every ``SAVE_EVERY`` vectors."""
        if self.vectors is not None and self.vectors.wants_rebuild():
            self.rebuild(self.vectors.dim)
        if self.unsaved >= SAVE_EVERY:
            self.save()

    def _other_dim(self, found: int, dim: int) -> str:
        return (f"{self.file}: vector file holds vectors of {found} dimensions, the database's have {dim} (another "
                "index's file?); run `drift index rebuild`")

    def _not_written(self) -> str:
        return (f"{self.file}: vector file is not the one this index last wrote (another index's, copied in? "
                "the database restored from a backup?); run `drift index rebuild`")

    def problems(self, expected_generation: int) -> list[str]:
        """What is wrong with the file on disk, compared with the database (empty: nothing)."""
        if not self.store.counts()["vectors"] or not self.file.exists():
            return []
        try:
            vi = VectorIndex.load(self.file)
        except IndexStoreError as e:
            return [str(e).split(";")[0]]
        dim = int(self.store.meta().get("dim") or 0)
        if vi.dim != dim:
            return [self._other_dim(vi.dim, dim).split(";")[0]]
        if not self._wrote(vi.sha256):
            return [self._not_written().split(";")[0]]
        problems = []
        held = self.store.count_vectors(up_to=vi.max_id)
        if vi.count != held:
            problems.append(f"{self.file}: holds {vi.count} vectors, the database {held} up to id {vi.max_id}")
        if vi.generation != expected_generation:
            problems.append(f"{self.file}: vector file predates the last rebuild")
        return problems
