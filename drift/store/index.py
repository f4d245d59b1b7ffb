"""The persistent index: every article embedded once, every new version matched to its story.

``Index(path)`` keeps articles, sentences and vectors in SQLite (drift/store.py)
and searches them through a faiss file next to it (drift/vector_index.py) that
can always be rebuilt from SQLite. A new article joins the story whose stored
sentences match a large enough share of its own (``MatchSettings``); otherwise
it starts a story. Comparisons reuse the stored vectors (drift/stored_encoder.py).
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drift.articles import Article, prepare_article
from drift.errors import IndexStoreError, InputError
from drift.store import LOCK_TIMEOUT, SCHEMA_VERSION, Store, content_hash
from drift.stored_encoder import StoredEncoder, model_fingerprint

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from drift.embedding import Encoder, WordVectors
    from drift.reports import Report
    from drift.vector_index import VectorIndex

log = logging.getLogger("drift")

DEFAULT_INDEX = Path("indexes") / "default"
VECTOR_FILE = "vectors.faiss"
#: Write the vector file after this many new vectors (and on close); in between, open catches up from SQLite.
SAVE_EVERY = 20_000
STORY_MATCHER = "knn-vote/1"


@dataclass(frozen=True)
class MatchSettings:
    """When a new article joins a stored story; recorded in every check report's signature.

    Each body sentence votes for the stories of its ``k`` nearest stored sentences
    with cosine >= ``similarity``. The article joins the story with the most votes
    if they are at least ``share`` of its body sentences and at least
    ``min_sentences``: a heavy rewrite keeps enough sentences, unrelated news on
    the same topic shares too few.
    """

    k: int = 4
    similarity: float = 0.65
    share: float = 0.2
    min_sentences: int = 2

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class StoryMatch:
    """The best stored story for an article, and how many of its body sentences matched it."""

    story: int | None  # None: no story matched well enough
    matched: int
    sentences: int
    best: int | None = None  # the best candidate even when it fell short

    @property
    def share(self) -> float:
        return self.matched / self.sentences if self.sentences else 0.0


@dataclass(frozen=True)
class Added:
    """What ``add_many`` did with one article."""

    article: str  # the id it is stored under (or, if skipped, the id of the stored copy)
    story: int
    new_story: bool = False
    skipped: bool = False  # the same content was already stored


@dataclass(frozen=True)
class Story:
    """A story found so far: its versions in the order they were added."""

    id: int
    title: str | None
    articles: list[str]

    def to_dict(self) -> dict:
        return {"id": self.id, "articles": list(self.articles), "title": self.title}


class Index:
    """A persistent, story-grouped sentence index; safe to share between processes.

    ``model`` (a name, a path or a loaded Encoder) must be the one the index was
    made with; by default that recorded model is used.
    """

    def __init__(self, path: str | Path = DEFAULT_INDEX, model: "str | Encoder | None" = None,
                 match: MatchSettings = MatchSettings(), create: bool = True,
                 lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.match = match
        self.lock_timeout = lock_timeout
        self.store = Store(self.path, create=create)
        self._meta = self.store.meta()
        self._encoder = self._choose_encoder(model)
        self._vectors: "VectorIndex | None" = None
        self._unsaved = 0
        #: How many texts the last comparison sent to the model (stored sentences never are).
        self.last_embedded = 0

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Write the vector file if it lags behind SQLite, then release the database."""
        if self._unsaved:
            with self.store.write_lock(self.lock_timeout):
                self._sync()
                self._save()
        self.store.close()

    # -- model identity ------------------------------------------------------------
    def _choose_encoder(self, model: "str | Encoder | None") -> Any:
        from drift.embedding import Encoder

        from drift.embedding import model_languages

        stored = self._meta.get("model")
        if model is None and stored:
            location = self._meta.get("model_location")
            encoder = Encoder(location or stored)
            encoder.name = stored  # the name it was recorded under, not the directory's
            encoder.languages = model_languages(stored, encoder.location)
        else:
            encoder = Encoder(model) if model is None or isinstance(model, str) else model
        if stored and self._meta.get("model_fingerprint") != model_fingerprint(encoder):
            raise IndexStoreError(
                f"{self.path}: made with model {stored!r} (fingerprint {self._meta.get('model_fingerprint')}), "
                f"not {encoder.name!r}; pass --model {self._meta.get('model_location') or stored}, or run "
                f"`drift index rebuild --model {encoder.name}` to re-embed the index with it"
            )
        return encoder

    @property
    def model(self) -> str:
        return self._encoder.name

    # -- adding ------------------------------------------------------------------
    def add(self, article: Article) -> int:
        """Store one article (embedded once) and return the id of the story it joined or started."""
        return self.add_many([article])[0].story

    def add_many(self, articles: Iterable[Article], batch_size: int = 16,
                 on_batch: Callable[[list[Added]], None] | None = None) -> list[Added]:
        """Store articles, one transaction per ``batch_size``; already stored content is skipped."""
        done: list[Added] = []
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) == batch_size:
                done.extend(self._add_batch(batch, on_batch))
                batch = []
        if batch:
            done.extend(self._add_batch(batch, on_batch))
        return done

    def _add_batch(self, articles: list[Article], on_batch: Callable[[list[Added]], None] | None) -> list[Added]:
        fresh = [a for a in articles if self.store.find_content(content_hash(prepare(a))) is None]
        embedded = self._embed(fresh)  # outside the lock: the slow part runs in parallel with other writers
        results: list[Added] = []
        with self.store.write_lock(self.lock_timeout):
            try:
                with self.store.transaction():
                    self._sync()
                    for article in articles:
                        results.append(self._insert(article, embedded.get(id(article))))
            except BaseException:
                self._vectors = None  # it may hold vectors of the rolled-back batch: reload
                raise
            self._unsaved += sum(1 for r in results if not r.skipped)
            if self._vectors is not None and self._vectors.wants_rebuild():
                self._rebuild_vectors()
            if self._unsaved >= SAVE_EVERY:
                self._save()
        if on_batch:
            on_batch(results)
        return results

    def _insert(self, article: Article, embedded: "dict[int, tuple[np.ndarray, WordVectors]] | None") -> Added:
        """Inside the batch's transaction and lock: match, store, and index one article."""
        import numpy as np

        sha = content_hash(article)
        stored_as = self.store.find_content(sha)
        if stored_as is not None:
            log.info("%s: already stored as %s; skipped", article.source or article.id, stored_as)
            return Added(stored_as, self.store.story_of_article(stored_as) or 0, skipped=True)
        if embedded is None:  # stored by nobody when embedded, but another writer may have raced us
            embedded = self._embed([article])[id(article)]
        self._record_model(embedded)
        if self._vectors is None:
            self._sync()  # the first article of a new index: start its (empty) vector index
        stored_id = self._free_id(article.id)
        if stored_id != article.id:
            log.info("%s: id %s is taken by other text; stored as %s", article.source, article.id, stored_id)
        found = self._match(article, embedded)
        story = found.story if found.story is not None else self.store.new_story(_story_title(article))
        keyed = Article(**{**article.__dict__, "id": stored_id})
        ids = self.store.insert_article(keyed, story, sha, embedded)
        if ids:
            self._vectors.add(np.asarray(ids), np.stack([embedded[i][0] for i in sorted(embedded)]))
        return Added(stored_id, story, new_story=found.story is None)

    def _free_id(self, wanted: str) -> str:
        new, n = wanted, 1
        while self.store.id_taken(new):
            n += 1
            new = f"{wanted}-{n}"
        return new

    def _embed(self, articles: list[Article]) -> "dict[int, dict[int, tuple[np.ndarray, WordVectors]]]":
        """Vectors and word vectors of every non-boilerplate sentence (headline included), per article."""
        keys = [(id(a), s.index, s.text) for a in articles for s in prepare(a).sentences if not s.boilerplate]
        if not keys:
            return {id(a): {} for a in articles}
        vectors, words = self._encoder.encode_with_words([t for _, _, t in keys])
        out: dict[int, dict] = {id(a): {} for a in articles}
        for (aid, index, _), vec, w in zip(keys, vectors, words):
            out[aid][index] = (vec, w)
        return out

    def _record_model(self, embedded: dict) -> None:
        if self._meta.get("model") or not embedded:
            return
        location = getattr(self._encoder, "location", None)
        self._meta = {
            "schema": SCHEMA_VERSION,
            "model": self._encoder.name,
            "model_location": str(location) if isinstance(location, Path) else "",
            "model_fingerprint": model_fingerprint(self._encoder),
            "dim": str(len(next(iter(embedded.values()))[0])),
            "generation": "0",
        }
        self.store.set_meta(self._meta)

    # -- story matching --------------------------------------------------------
    def story(self, article: Article) -> StoryMatch:
        """The stored story this article belongs to (``story`` is None if none); nothing is stored."""
        prepare(article)
        sha = content_hash(article)
        stored_as = self.store.find_content(sha)
        if stored_as is not None:
            body = sum(1 for s in article.sentences if not s.boilerplate and not s.title)
            return StoryMatch(self.store.story_of_article(stored_as), body, body)
        self._sync()
        return self._match(article, self._embed([article])[id(article)])

    def _match(self, article: Article, embedded: dict) -> StoryMatch:
        import numpy as np

        body = [s.index for s in article.sentences if not s.boilerplate and not s.title and s.index in embedded]
        if not body or self._vectors is None or self._vectors.count == 0:
            return StoryMatch(None, 0, len(body))
        sims, ids = self._vectors.search(np.stack([embedded[i][0] for i in body]), self.match.k)
        stories = self.store.stories_of(sorted({int(i) for i in ids.ravel() if i >= 0}))
        votes: Counter[int] = Counter()
        for row_sims, row_ids in zip(sims, ids):
            votes.update({stories[int(i)] for s, i in zip(row_sims, row_ids)
                          if i >= 0 and s >= self.match.similarity and int(i) in stories})
        if not votes:
            return StoryMatch(None, 0, len(body))
        best, matched = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        enough = matched >= self.match.min_sentences and matched / len(body) >= self.match.share
        return StoryMatch(best if enough else None, matched, len(body), best)

    # -- reading and comparing ----------------------------------------------------
    def stories(self) -> list[Story]:
        """Every story found so far, oldest first."""
        return [Story(sid, title, aids) for sid, title, aids in self.store.story_rows()]

    def articles(self, story: int) -> list[Article]:
        """The stored versions of a story, with their sentences."""
        found = self.store.articles(story)
        if not found:
            raise InputError(f"no story {story} in {self.path}; run `drift stories --index {self.path}` to list them")
        return found

    def compare_story(self, story: int, reference: str | None = None, pairs: str = "auto") -> "Report":
        """Drift between the stored versions of a story, from stored vectors (nothing re-embedded).

        ``pairs`` as in ``drift.compare``: a large story is compared with its central version.
        """
        versions = self.articles(story)
        if len(versions) < 2:
            raise InputError(f"story {story} has one version ({versions[0].id}); ingest another version first")
        return self._compare(versions, story, reference, {}, pairs)

    def check(self, article: Article, ingest: bool = False) -> "Report":
        """Find the story of a new version and report its drift against the stored versions."""
        prepare(article)
        embedded = self._embed([article])[id(article)]
        sha = content_hash(article)
        stored_as = self.store.find_content(sha)
        self._sync()
        found = (StoryMatch(self.store.story_of_article(stored_as), 1, 1) if stored_as
                 else self._match(article, embedded))
        label = article.source or article.id
        if found.story is None:
            near = (f"best: story {found.best} with {found.matched} of {found.sentences} sentences"
                    if found.best is not None else "no similar sentence stored")
            raise InputError(f"{label}: matches no stored story ({near}); ingest other versions of it first")
        others = [a for a in self.store.articles(found.story) if content_hash(a) != sha]
        if not others:
            raise InputError(f"{label}: the only stored version of its story is this same text; "
                             "ingest other versions of it first")
        ids = {a.id for a in others}
        new = article if article.id not in ids else Article(**{**article.__dict__, "id": f"{article.id}-new"})
        texts = {new.sentences[i].text: v for i, v in embedded.items()}
        report = self._compare([new, *others], found.story, new.id, texts)
        if ingest and stored_as is None:
            self.add(article)
        return report

    def _compare(self, versions: list[Article], story: int, reference: str | None, extra: dict,
                 pairs: str = "auto") -> "Report":
        from drift.pipeline import compare

        stored = {**self.store.stored_vectors(story), **extra}
        encoder = StoredEncoder(stored, lambda: self._encoder, self._encoder.name,
                                getattr(self._encoder, "languages", None), int(self._meta.get("dim") or 0)
                                or len(next(iter(stored.values()))[0]))
        report = compare(versions, reference=reference, model=encoder, pairs=pairs)
        report.signature["story"] = {"index": str(self.path), "id": story, "matcher": STORY_MATCHER,
                                     "thresholds": self.match.to_dict()}
        self.last_embedded = encoder.embedded
        return report

    # -- the vector file -------------------------------------------------------------
    def _sync(self) -> None:
        """Bring the in-memory vectors up to what SQLite has committed (load, repair, catch up)."""
        from drift.vector_index import VectorIndex

        if not self._meta.get("dim"):
            self._meta = self.store.meta()
            if not self._meta.get("dim"):
                return
        generation = int(self.store.meta().get("generation", "0"))
        if self._vectors is not None and self._vectors.generation != generation:
            self._vectors = None
        if self._vectors is None:
            file = self.path / VECTOR_FILE
            try:
                loaded = VectorIndex.load(file) if file.exists() else None
                if loaded is not None and loaded.generation != generation:
                    raise IndexStoreError(f"{file}: vector file predates a rebuild; run `drift index rebuild`")
            except IndexStoreError as problem:
                log.warning("%s; rebuilding it from the database", problem)
                loaded = None
                self._unsaved += 1  # write the repaired file on close
            self._vectors = loaded if loaded is not None else self._build_vectors(generation)
        for ids, vectors in self.store.vector_chunks(after=self._vectors.max_id):
            self._vectors.add(ids, vectors)
            self._unsaved += len(ids)

    def _build_vectors(self, generation: int) -> "VectorIndex":
        from drift.vector_index import FLAT_LIMIT, VectorIndex, training_size

        count = self.store.counts()["vectors"]
        sample = self.store.sample_vectors(training_size(count)) if count > FLAT_LIMIT else None
        return VectorIndex.build(int(self._meta["dim"]), count, self.store.vector_chunks(), sample, generation)

    def _rebuild_vectors(self) -> None:
        generation = int(self.store.meta().get("generation", "0"))
        self._vectors = self._build_vectors(generation)
        self._save()

    def _save(self) -> None:
        if self._vectors is not None:
            self._vectors.save(self.path / VECTOR_FILE)
        self._unsaved = 0

    # -- maintenance --------------------------------------------------------------------
    def verify(self) -> list[str]:
        """Problems found in the database and the vector file (empty: all good); nothing is repaired."""
        from drift.vector_index import VectorIndex

        problems = self.store.integrity_problems()
        counts = self.store.counts()
        file = self.path / VECTOR_FILE
        if counts["vectors"] and file.exists():
            try:
                vi = VectorIndex.load(file)
            except IndexStoreError as e:
                problems.append(str(e).split(";")[0])
            else:
                held = self.store.db.execute("SELECT COUNT(*) FROM sentences WHERE vector IS NOT NULL AND id <= ?",
                                             (vi.max_id,)).fetchone()[0]
                if vi.count != held:
                    problems.append(f"{file}: holds {vi.count} vectors, the database {held} up to id {vi.max_id}")
                if vi.generation != int(self._meta.get("generation", "0")):
                    problems.append(f"{file}: vector file predates the last rebuild")
        return problems

    def rebuild(self, model: "str | Encoder | None" = None) -> None:
        """Rebuild the vector file from SQLite; with another ``model``, re-embed every sentence first."""
        with self.store.write_lock(self.lock_timeout):
            if model is not None:
                from drift.embedding import Encoder

                encoder = Encoder(model) if isinstance(model, str) else model
                if model_fingerprint(encoder) != self._meta.get("model_fingerprint"):
                    self._reembed(encoder)
            self._meta = self.store.meta()
            if self._meta.get("dim"):
                self._rebuild_vectors()

    def _reembed(self, encoder: Any, chunk: int = 512) -> None:
        rows = list(self.store.sentence_texts())
        with self.store.transaction():
            for start in range(0, len(rows), chunk):
                part = rows[start:start + chunk]
                vectors, words = encoder.encode_with_words([t for _, t in part])
                self.store.replace_vectors([(sid, v, w) for (sid, _), v, w in zip(part, vectors, words)])
            location = getattr(encoder, "location", None)
            self.store.set_meta({
                "model": encoder.name, "model_location": str(location) if isinstance(location, Path) else "",
                "model_fingerprint": model_fingerprint(encoder), "dim": str(vectors.shape[1]) if rows else "0",
                "generation": str(int(self._meta.get("generation", "0")) + 1),
            })
        self._encoder = encoder
        self._vectors = None

    def stats(self) -> dict[str, Any]:
        """Sizes, model and vector index kind, for `drift index stats`."""
        self._sync()
        files = {name: (self.path / name).stat().st_size for name in (VECTOR_FILE, "drift.sqlite", "drift.sqlite-wal")
                 if (self.path / name).exists()}
        counts = self.store.counts()
        counts.pop("max_vector_id")
        vi = self._vectors
        return {
            "index": str(self.path), **counts,
            "model": self._meta.get("model"), "dim": int(self._meta.get("dim") or 0),
            "model_fingerprint": self._meta.get("model_fingerprint"),
            "vector_index": vi.kind if vi else None,
            "faiss": type(vi.index).__name__ if vi else None,
            "nprobe": getattr(vi.index, "nprobe", None) if vi else None,
            "matcher": STORY_MATCHER, "thresholds": self.match.to_dict(), "bytes": files,
        }


def prepare(article: Article) -> Article:
    """Split and mark the article unless that was done already."""
    return article if article.sentences else prepare_article(article)


def _story_title(article: Article) -> str:
    if article.title:
        return article.title
    first = next(s.text for s in article.sentences if not s.boilerplate)
    return first if len(first) <= 80 else first[:77].rstrip() + "..."

