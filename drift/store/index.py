"""The persistent index: every article embedded once, every new version matched to its story.

``Index(path)`` keeps articles, sentences and vectors in SQLite (``database``) and
searches them through a faiss file next to it (``vectors``, kept in step by
``sync``) that can always be rebuilt from SQLite. A new article joins the story
whose stored sentences match a large enough share of its own (``matching``);
otherwise it starts a story. Comparisons reuse the stored vectors.
"""
from __future__ import annotations

import functools
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, Optional, ParamSpec, TypeVar

from drift.article import Article, free_id
from drift.embed.batching import BatchEncoder
from drift.embed.encoder import Encoder, WordVectors, covers
from drift.embed.load import as_encoder, load_encoder, model_argument
from drift.embed.model import model_languages, resolve_model
from drift.embed.stored import StoredEncoder
from drift.errors import IndexStoreError, InputError, check_flag, check_type
from drift.limits import Limits, check_limits
from drift.report.signature import StoryRef
from drift.store.arguments import article as article_argument
from drift.store.arguments import check_add_many, check_backend, check_batches, check_options, story_number
from drift.store.check import DEFAULT_AGAINST, CheckResult, check_against, choose_targets, compare_checked
from drift.store.database import DEFAULT_INDEX, LOCK_TIMEOUT, SCHEMA_VERSION, Store, content_hash
from drift.store.identity import (
    backend_meta,
    backend_meta_of,
    check_identity,
    family,
    fingerprint,
    first_meta,
    model_meta,
    recorded_backend,
    same_vectors,
)
from drift.store.matching import STORY_MATCHER, MatchSettings, StoryMatch, body_sentences, match_story, story_title
from drift.store.paths import store_error
from drift.store.payload import StoryPayload, compare_payload
from drift.store.results import Added, MergedShard, Story
from drift.store.sync import VECTOR_FILE, VectorCache
from drift.text.prepare import prepare, prepared_within

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from drift.report.report import Report
    from drift.store.vectors import VectorIndex

log = logging.getLogger("drift")

#: Sentence index -> (vector, word vectors) of one article.
Embedded = dict[int, "tuple[np.ndarray, WordVectors]"]
#: Called with each stored batch's results (a progress bar).
OnBatch = Optional[Callable[[list["Added"]], None]]
P = ParamSpec("P")
R = TypeVar("R")


def _store_errors(method: "Callable[Concatenate[Index, P], R]") -> "Callable[Concatenate[Index, P], R]":
    """What SQLite or the disk raises (a full disk, a damaged file) comes out as one IndexStoreError."""
    @functools.wraps(method)
    def guarded(self: "Index", *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.Error, OSError) as error:
            raise store_error(self.path, error) from None
    return guarded


class Index:
    """A persistent, story-grouped sentence index; safe to share between processes (one Index per thread).

    ``model`` (a name, a path or a loaded Encoder) must be the one the index was
    made with; by default that recorded model is used. ``backend`` (``auto``,
    ``torch``, ``onnx``) likewise: a new index embeds with what ``drift compare``
    uses by default (``auto``), so ``check`` and ``compare`` give the same pairs and
    scores, and records it (``backend`` in its meta); an index opens with its
    recorded backend, and one made with another backend than asked is an error
    naming the fix. The model loads on first use. ``read_only`` opens it as a
    reader (``stories``, ``check`` without ``--ingest``, ``stats``, ``verify``): it
    never waits for a writer and never writes, catching up with SQLite in memory.
    ``limits`` bounds what ``add_many`` splits and embeds at once.
    """

    def __init__(self, path: str | Path = DEFAULT_INDEX, model: str | os.PathLike[str] | Encoder | None = None,
                 match: MatchSettings = MatchSettings(), create: bool = True,
                 lock_timeout: float = LOCK_TIMEOUT, read_only: bool = False, limits: Limits = Limits(),
                 backend: str | None = None) -> None:
        check_type(path, (str, os.PathLike), "Index: path", "a str or Path naming the index directory")
        self.path, model = Path(path), model_argument(model)  # a Path as a str, a caller's Encoder checked
        self.limits = check_limits(limits, "Index")
        check_options(match, lock_timeout)
        check_backend(backend, model)  # before a new index's directory and database are made
        check_flag(create, "Index: create")
        check_flag(read_only, "Index: read_only")
        self.match, self.lock_timeout, self.read_only = match, lock_timeout, read_only
        if isinstance(model, str):
            resolve_model(model)  # a bad --model is refused before a new index's directory and database are made
        try:
            self.store = Store(self.path, create=create, read_only=read_only)
            self.store.check_before_writing()
            self._meta = self.store.meta()
        except (sqlite3.Error, OSError) as error:
            raise store_error(self.path, error) from None
        self._model, self._backend, self._warnings = check_identity(self.path, self._meta, model, backend)
        self._encoder: Encoder | None = model if not (model is None or isinstance(model, str)) else None
        self._cache = VectorCache(self.store, self.path)

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @_store_errors
    def close(self) -> None:
        """Write the vector file if it lags behind SQLite (a reader never does), then release the database."""
        try:  # a rolled-back batch dropped the in-memory vectors: nothing to write, the next open catches up
            if self._cache.unsaved and self._cache.vectors is not None and not self.read_only:
                with self.store.write_lock(self.lock_timeout):
                    self._sync()
                    self._cache.save()
        finally:
            self.store.close()

    @property
    def warnings(self) -> list[str]:
        """What was repaired on the way (a damaged vector file rebuilt) and what the index's sentences were split
        with, if not as new ones are: one line each, the library never prints."""
        return self._warnings + self._cache.warnings

    def _writable(self, what: str) -> None:
        if self.read_only:
            raise IndexStoreError(f"{self.path}: opened read-only; open it with Index(path) to {what}")

    # -- model identity ------------------------------------------------------------
    @property
    def recorded_backend(self) -> str | None:
        """What embedded the stored vectors (``onnx-int8-token``, ``torch``...), None while nothing is stored."""
        return recorded_backend(self._meta)

    @property
    def encoder(self) -> Encoder:
        """The encoder new articles are embedded with (loaded on first use; the index's own backend)."""
        if self._encoder is None:
            encoder = load_encoder(self._model if isinstance(self._model, str) else None, self._backend)
            stored = self._meta.get("model")
            if stored and isinstance(encoder, BatchEncoder):
                encoder.name = stored  # the name it was recorded under, not the directory's
                encoder.languages = model_languages(stored, encoder.location)
            self._encoder = encoder
        recorded = self.recorded_backend
        if recorded is not None and self._encoder.backend != recorded:
            raise IndexStoreError(
                f"{self.path}: made with backend {recorded!r}, but {self._encoder.backend!r} ran; "
                f"run `drift index rebuild --backend {family(self._encoder.backend)}` to re-embed the index with it"
            )
        return self._encoder

    @property
    def model(self) -> str:
        if self._encoder is not None:
            return self._encoder.name
        return self._meta.get("model") or resolve_model(self._model if isinstance(self._model, str) else None)[0]

    def _stored_encoder(self, stored: dict[str, tuple[np.ndarray, WordVectors]]) -> StoredEncoder:
        """An encoder serving ``stored`` vectors, named as the index's model and backend: the model itself
        loads only for a text never stored (a merged pair of sentences)."""
        languages = self._languages()
        dim = int(self._meta.get("dim") or 0) or (len(next(iter(stored.values()))[0]) if stored else 0)
        backend = self.recorded_backend or self.encoder.backend
        return StoredEncoder(stored, lambda: self.encoder, self.model, languages, dim, backend)

    def _languages(self) -> frozenset[str] | None:
        """The languages the index's model covers (None: any), without loading it."""
        if self._encoder is not None:
            return self._encoder.languages
        location = self._meta.get("model_location") or resolve_model(
            self._model if isinstance(self._model, str) else None)[1]
        return model_languages(self.model, Path(location) if isinstance(location, str) else location)

    @property
    def model_fingerprint(self) -> str:
        """The identity of the model the stored vectors came from (of ``encoder`` while the index is empty)."""
        return self._meta.get("model_fingerprint") or fingerprint(self.encoder)

    # -- adding ------------------------------------------------------------------
    def add(self, article: Article) -> int:
        """Store one article (embedded once) and return the id of the story it joined or started."""
        return self.add_many([article_argument(article, "Index.add")])[0].story

    @_store_errors
    def add_many(self, articles: Iterable[Article], batch_size: int = 16, on_batch: OnBatch = None,
                 on_error: Callable[[InputError], None] | None = None) -> list[Added]:
        """Store articles, one transaction per ``batch_size``; already stored content is skipped.

        A batch also ends before its sentences pass ``limits.max_sentences``, so memory
        stays bounded. An article that cannot be split (no story sentences, a sentence
        over the limit) goes to ``on_error`` and is skipped; without ``on_error`` it is
        raised, and the articles before it stay stored.
        """
        self._writable("add articles")
        check_add_many(articles, batch_size, on_batch, on_error)
        done: list[Added] = []
        batch: list[Article] = []
        sentences = 0
        for item in articles:
            article = article_argument(item, "Index.add_many")
            try:
                size = len(prepared_within(article, self.limits).sentences)
            except InputError as error:
                if on_error is None:
                    raise
                on_error(error)
                continue
            if batch and sentences + size > self.limits.max_sentences:
                done.extend(self._add_batch(batch, on_batch))
                batch, sentences = [], 0
            batch.append(article)
            sentences += size
            if len(batch) == batch_size:
                done.extend(self._add_batch(batch, on_batch))
                batch, sentences = [], 0
        if batch:
            done.extend(self._add_batch(batch, on_batch))
        return done

    def _add_batch(self, articles: list[Article], on_batch: OnBatch) -> list[Added]:
        fresh = [a for a in articles if self.store.find_content(content_hash(prepare(a))) is None]
        embedded = self._embed(fresh)  # outside the lock: the slow part runs in parallel with other writers
        return self._store_batch([(a, embedded.get(id(a))) for a in articles], on_batch)

    @_store_errors
    def add_embedded(self, items: Iterable[tuple[Article, Embedded]], batch_size: int = 16, on_batch: OnBatch = None,
                     shard: tuple[str, str] | None = None, problems: Sequence[str] = (),
                     refused: Sequence[str] = ()) -> list[Added]:
        """Store articles embedded elsewhere (a distributed job's shard), in order, as ``add_many`` would.

        Each article comes prepared (sentences set) with the vectors of its non-boilerplate sentences, made with
        this index's model. ``shard`` (job, name) is recorded with the last batch, with the shard's unreadable
        (``problems``) and refused (``refused``) records: a re-run skips it, reports them (``merged_shards``).
        """
        self._writable("add articles")
        check_batches(batch_size, on_batch, "Index.add_embedded")
        todo = list(items)
        batches = [todo[start:start + batch_size] for start in range(0, len(todo), batch_size)]
        if not batches and shard is not None:
            batches = [[]]  # an empty shard is merged too, so a re-run skips it
        done: list[Added] = []
        for number, batch in enumerate(batches, 1):
            record = functools.partial(self.store.record_shard, shard, list(problems), list(refused), done) \
                if shard is not None and number == len(batches) else None  # with the last batch: all or nothing
            done.extend(self._store_batch(batch, on_batch, record))
        return done

    @_store_errors
    def merged_shards(self, job: str) -> dict[str, MergedShard]:
        """The shards of distributed job ``job`` already stored, by name: what a re-run reports for them."""
        return self.store.merged_shards(job)

    def _store_batch(self, items: Sequence[tuple[Article, Embedded | None]], on_batch: OnBatch,
                     record: Callable[[list[Added]], None] | None = None) -> list[Added]:
        """One transaction under the write lock: match, store and index each article in order."""
        results: list[Added] = []
        with self.store.write_lock(self.lock_timeout):
            try:
                with self.store.transaction():
                    self._sync()
                    languages = self._languages()  # once a batch: without the model loaded it reads the model card
                    for article, embedded in items:
                        results.append(self._insert(article, embedded, languages))
                    if record is not None:
                        record(results)
            except BaseException:
                self._cache.drop()  # it may hold vectors of the rolled-back batch: reload
                raise
            self._cache.unsaved += sum(1 for r in results if not r.skipped)
            self._cache.save_if_due()
        if on_batch and results:
            on_batch(results)
        return results

    def _insert(self, article: Article, embedded: Embedded | None, languages: frozenset[str] | None) -> Added:
        """Inside the batch's transaction and lock: match, store, and index one article (``languages``: those the
        index's model covers)."""
        import numpy as np

        sha = content_hash(article)
        stored_as = self.store.find_content(sha)
        if stored_as is not None:
            log.info("%s: already stored as %s; skipped", article.source or article.id, stored_as)
            return Added(stored_as, self.store.story_of_article(stored_as) or 0, skipped=True)
        if embedded is None:  # stored by nobody when embedded, but another writer may have raced us
            embedded = self._embed([article])[id(article)]
        self._record_model(embedded)
        vectors = self._sync()  # the first article of a new index starts its (empty) vector index
        stored_id = free_id(article.id, self.store.id_taken)
        if stored_id != article.id:
            log.info("%s: id %s is taken by other text; stored as %s", article.source, article.id, stored_id)
        if not covers(languages, article.language):  # stored all the same: the index may be re-embedded
            log.warning("%s: language %r is not covered by the index's model %r: stored, but matched to a story "
                        "with that model's vectors; `drift index rebuild --model NAME` re-embeds the index with a "
                        "multilingual model", article.source or article.id, article.language, self.model)
        found = self._match(article, embedded)
        story = found.story if found.story is not None else self.store.new_story(story_title(article))
        ids = self.store.insert_article(replace(article, id=stored_id), story, sha, embedded)
        if ids and vectors is not None:
            vectors.add(np.asarray(ids), np.stack([embedded[i][0] for i in sorted(embedded)]))
        return Added(stored_id, story, new_story=found.story is None)

    def _embed(self, articles: list[Article]) -> dict[int, Embedded]:
        """Vectors and word vectors of every non-boilerplate sentence (headline included), per article."""
        keys = [(id(a), s.index, s.text) for a in articles for s in prepare(a).sentences if not s.boilerplate]
        out: dict[int, Embedded] = {id(a): {} for a in articles}
        if not keys:
            return out
        vectors, words = self.encoder.encode_with_words([t for _, _, t in keys])
        for (aid, index, _), vec, w in zip(keys, vectors, words, strict=True):
            out[aid][index] = (vec, w)
        return out

    def _record_model(self, embedded: Embedded) -> None:
        if self._meta.get("model") or not embedded:
            return
        self._meta = {"schema": SCHEMA_VERSION, **first_meta(self.encoder),
                      "dim": str(len(next(iter(embedded.values()))[0])), "generation": "0"}
        self.store.set_meta(self._meta)

    # -- story matching --------------------------------------------------------
    @_store_errors
    def story(self, article: Article) -> StoryMatch:
        """The stored story this article belongs to (``story`` is None if none); nothing is stored."""
        prepare(article_argument(article, "Index.story"), self.limits)
        sha = content_hash(article)
        stored_as = self.store.find_content(sha)
        if stored_as is not None:
            body = len(body_sentences(article))
            story = self.store.story_of_article(stored_as)
            return StoryMatch(story, body, body, best=story)  # best: the story it matched, as for any match
        self._sync()
        return self._match(article, self._embed([article])[id(article)])

    def _match(self, article: Article, embedded: Embedded) -> StoryMatch:
        vectors = {i: vector for i, (vector, _) in embedded.items()}
        return match_story(article, vectors, self._cache.vectors, self.store, self.match)

    # -- reading and comparing ----------------------------------------------------
    @_store_errors
    def stories(self) -> list[Story]:
        """Every story found so far, oldest first."""
        return [Story(sid, title, aids) for sid, title, aids in self.store.story_rows()]

    @_store_errors
    def articles(self, story: int) -> list[Article]:
        """The stored versions of a story, with their sentences."""
        found = self.store.articles(story_number(story, "Index.articles"))
        if not found:
            raise InputError(f"no story {story} in {self.path}; run `drift stories --index {self.path}` to list them")
        return found

    @_store_errors
    def compare_story(self, story: int, reference: str | None = None, pairs: str = "auto") -> Report:
        """Drift between the stored versions of a story, from stored vectors (nothing re-embedded); ``pairs`` as
        in ``drift.compare``: a large story is compared with its central version."""
        payload = self.story_payload(story_number(story, "Index.compare_story"))
        if len(payload.articles) < 2:
            raise InputError(f"story {story} has one version ({payload.articles[0].id}); ingest another version first")
        return compare_payload(payload, lambda: self.encoder, reference, pairs, self.limits)

    def story_payload(self, story: int) -> StoryPayload:
        """A story's versions and stored vectors, to compare in another process (``compare_payload``)."""
        return self._payload(story, self.articles(story), self.store.stored_vectors(story))

    def _payload(self, story: int, versions: list[Article],
                 vectors: dict[str, tuple[np.ndarray, WordVectors]]) -> StoryPayload:
        served = self._stored_encoder(vectors)  # the index's model, languages, dim and recorded backend
        ref = StoryRef(str(self.path), story, STORY_MATCHER, self.match.to_dict())
        return StoryPayload(story, versions, vectors, ref, served.name, served.languages, served.dim, served.backend)

    @_store_errors
    def check(self, article: Article, ingest: bool = False, against: str = DEFAULT_AGAINST) -> CheckResult:
        """Check a new version: an identical re-send, a new story, or its drift against stored versions.

        ``against`` (``drift.store.check``): ``latest``, the version it replaces; ``source``,
        the version marked as its source; ``all``, every stored version of its story.
        ``ingest`` also stores it (an identical re-send is stored already).
        """
        check_against(against)
        check_flag(ingest, "Index.check: ingest")
        if ingest:
            self._writable("store the version (ingest=True)")
        # with ingest, what the index cannot store is refused before the comparison, not after it
        (prepared_within if ingest else prepare)(article_argument(article, "Index.check"), self.limits)
        label = article.source or article.id
        stored_as = self.store.find_content(content_hash(article))
        if stored_as is not None:
            story = self.store.story_of_article(stored_as)
            return CheckResult(article.id, label, "identical", against, story, self._alone(article, story),
                               identical_to=stored_as)
        embedded = self._embed([article])[id(article)]
        self._sync()
        found = self._match(article, embedded)
        if found.story is None:
            added = self._add_checked(article, embedded) if ingest else None
            return CheckResult(article.id, label, "new", against, None, self._alone(article, None), match=found,
                               ingested=(added.article, added.story) if added else None)
        targets, why = choose_targets(article, self.store.articles(found.story), against)
        ids = {a.id for a in targets}
        new = article if article.id not in ids else replace(article, id=f"{article.id}-new")
        texts = {new.sentences[i].text: v for i, v in embedded.items()}
        payload = self._payload(found.story, [new, *targets], {**self.store.stored_vectors(found.story), **texts})
        report = compare_checked(payload, lambda: self.encoder, label, against, self.limits)
        added = self._add_checked(article, embedded) if ingest else None
        return CheckResult(new.id, label, "compared", against, found.story, report, tuple(a.id for a in targets),
                           why, match=found, ingested=(added.article, added.story) if added else None)

    def _add_checked(self, article: Article, embedded: Embedded) -> Added:
        """Store a checked version with the vectors the check made (``add_many`` would embed it again)."""
        prepared_within(article, self.limits)
        return self._store_batch([(article, embedded)], None)[0]

    def _alone(self, article: Article, story: int | None) -> Report:
        """A report of one version and no pairs: what a check says when there was nothing to compare."""
        from drift.pipeline import make_signature
        from drift.report.report import Report

        ref = StoryRef(str(self.path), story, STORY_MATCHER, self.match.to_dict()) if story is not None else None
        return Report(make_signature(self._stored_encoder({}), story=ref), [article])

    # -- the vector file -------------------------------------------------------------
    def _sync(self) -> VectorIndex | None:
        """Bring the in-memory vectors up to what SQLite has committed; None while nothing is embedded."""
        self._meta = same_vectors(self.path, self._meta, self.store.meta(), self._encoder)
        if not self._meta.get("dim"):
            return None
        return self._cache.sync(int(self._meta["dim"]))

    # -- maintenance --------------------------------------------------------------------
    @_store_errors
    def verify(self) -> list[str]:
        """Problems found in the database and the vector file (empty: all good); nothing is repaired."""
        return self.store.integrity_problems() + self._cache.problems(int(self._meta.get("generation", "0")))

    @_store_errors
    def rebuild(self, model: str | Encoder | None = None, backend: str | None = None) -> None:
        """Rebuild the vector file from SQLite; with another ``model`` or ``backend``, re-embed every
        sentence first (and record them)."""
        self._writable("rebuild it")
        with self.store.write_lock(self.lock_timeout):
            if model is not None or backend is not None:
                keep = model is None and self._meta.get("model")
                if keep:
                    model = self._meta.get("model_location") or self._meta.get("model")
                encoder = as_encoder(model, backend or "auto")
                if keep and isinstance(encoder, BatchEncoder):
                    encoder.name = str(keep)  # the name the index knows the model by
                if fingerprint(encoder) != self._meta.get("model_fingerprint") or \
                        backend_meta(encoder) != backend_meta_of(self._meta):
                    self._reembed(encoder)
            self._meta = self.store.meta()
            if self._meta.get("dim"):
                self._cache.rebuild(int(self._meta["dim"]))

    def _reembed(self, encoder: Encoder, chunk: int = 512) -> None:
        rows = list(self.store.sentence_texts())
        dim = 0
        with self.store.transaction():
            for start in range(0, len(rows), chunk):
                part = rows[start:start + chunk]
                vectors, words = encoder.encode_with_words([t for _, t in part])
                dim = vectors.shape[1]
                self.store.replace_vectors([(sid, v, w) for (sid, _), v, w in zip(part, vectors, words, strict=True)])
            self.store.set_meta({**model_meta(encoder), "dim": str(dim) if rows else "0",
                                 "generation": str(int(self._meta.get("generation", "0")) + 1)})
        self._encoder = encoder
        self._cache.drop()

    @_store_errors
    def stats(self) -> dict[str, Any]:
        """Sizes, model and vector index kind, for `drift index stats`."""
        self._sync()
        files = {name: (self.path / name).stat().st_size for name in (VECTOR_FILE, "drift.sqlite", "drift.sqlite-wal")
                 if (self.path / name).exists()}
        counts = self.store.counts()
        counts.pop("max_vector_id")
        vi = self._cache.vectors
        meta = self._meta
        return {"index": str(self.path), **counts, "model": meta.get("model"), "dim": int(meta.get("dim") or 0),
                "model_fingerprint": meta.get("model_fingerprint"), "backend": self.recorded_backend,
                "vector_index": vi.kind if vi else None, "faiss": type(vi.index).__name__ if vi else None,
                "nprobe": getattr(vi.index, "nprobe", None) if vi else None,
                "matcher": STORY_MATCHER, "thresholds": self.match.to_dict(), "bytes": files}
