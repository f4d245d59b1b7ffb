"""Alignment stage: reordering, merges up to 1:3, unmatched sentences, the margin rule, the second pass,
shared words, headlines."""
from __future__ import annotations

from pathlib import Path

from drift import compare
from drift.align.aligner import Aligner, AlignmentSettings
from drift.align.neighbours import SentenceIndex
from drift.read.files import read_article
from drift.read.titles import article_from_text
from drift.text.prepare import prepare_article

A_TEXT = (
    "The government announced a new tax on sugary drinks on Tuesday.\n"
    "The finance minister said the levy would raise two billion euros a year.\n"
    "Opposition parties called the measure unfair to poor families.\n"
    "The tax takes effect in January."
)


def _pairs(report):
    return {(p.alignment.a_sentences, p.alignment.b_sentences) for p in report.pairs}


def test_reordered_paragraphs_align(encoder):
    lines = A_TEXT.split("\n")
    a = article_from_text(A_TEXT, id="a", detect_headline=False)
    b = article_from_text("\n".join(reversed(lines)), id="b", detect_headline=False)
    report = compare([a, b], model=encoder)
    assert _pairs(report) == {((0,), (3,)), ((1,), (2,)), ((2,), (1,)), ((3,), (0,))}
    assert report.unmatched == []


def test_split_sentence_aligns_one_to_two(encoder):
    a = article_from_text(
        "The finance minister said the levy would raise two billion euros a year, "
        "and that the money would fund school meals.\nThe tax takes effect in January.", id="a",
        detect_headline=False)
    b = article_from_text(
        "The finance minister said the levy would raise two billion euros a year.\n"
        "The money will fund school meals, he added.\nThe tax takes effect in January.", id="b",
        detect_headline=False)
    report = compare([a, b], model=encoder)
    assert ((0,), (0, 1)) in _pairs(report)
    assert ((1,), (2,)) in _pairs(report)


def test_unrelated_sentence_is_left_unmatched(encoder):
    a = article_from_text(A_TEXT, id="a", detect_headline=False)
    b = article_from_text(A_TEXT + "\nA volcano erupted in Iceland, grounding flights across Europe.", id="b",
                          detect_headline=False)
    report = compare([a, b], model=encoder)
    assert [(u.article, u.sentence, u.missing_in) for u in report.unmatched] == [("b", 4, ("a",))]


def test_margin_rejects_a_weak_best_match_that_does_not_stand_out(encoder):
    a = prepare_article(article_from_text("Officials discussed the budget at length on Monday.", id="a",
                                          detect_headline=False))
    b = prepare_article(article_from_text(
        "The budget will be published next month.\nThe budget debate lasted for hours.", id="b",
        detect_headline=False))
    texts = [s.text for s in a.sentences + b.sentences]
    vectors = encoder.encode(texts)
    index = SentenceIndex(vectors, {"a": (0, 1), "b": (1, 3)})
    eligible = {"a": [0], "b": [0, 1]}
    best = float(max(vectors[0] @ vectors[1], vectors[0] @ vectors[2]))
    strict = AlignmentSettings(floor=0.0, sure=best + 0.01, margin=1.0)
    loose = AlignmentSettings(floor=0.0, sure=best + 0.01, margin=0.0)
    assert Aligner([a, b], index, eligible, encoder.encode, strict).align([("a", "b")])[0].alignments == []
    assert len(Aligner([a, b], index, eligible, encoder.encode, loose).align([("a", "b")])[0].alignments) == 1


def test_boilerplate_is_never_aligned_or_unmatched(encoder):
    body = "The tax takes effect in January.\nOpposition parties called the measure unfair."
    a = article_from_text(body + "\nNo Comments", id="a", detect_headline=False)
    b = article_from_text(body + "\nFor queries, please contact news@example.com", id="b", detect_headline=False)
    report = compare([a, b], model=encoder)
    assert all(2 not in p.alignment.a_sentences and 2 not in p.alignment.b_sentences for p in report.pairs)
    assert report.unmatched == []
    assert report.articles[0].sentences[2].boilerplate and report.articles[1].sentences[2].boilerplate


# ---------------------------------------------------------------- aligner v2 (issue 12)

SEEDS = sorted((Path(__file__).resolve().parent.parent / "examples" / "seeds").glob("*.txt"))


def _seed(prefix: str):
    return read_article(next(p for p in SEEDS if p.name.startswith(prefix)))


def test_a_sentence_split_in_three_aligns_one_to_three(encoder):
    a = article_from_text(
        "The finance minister said the levy would raise two billion euros a year, that the money would fund "
        "free school meals for every child, and that the tax would be reviewed after three years.\n"
        "The tax takes effect in January.", id="a", detect_headline=False)
    b = article_from_text(
        "The finance minister said the levy would raise two billion euros a year. The money would fund free "
        "school meals for every child. The tax would be reviewed after three years, he said.\n"
        "The tax takes effect in January.", id="b", detect_headline=False)
    report = compare([a, b], model=encoder)
    assert ((0,), (0, 1, 2)) in _pairs(report)
    assert report.unmatched == []


def test_groups_grow_on_one_side_only_and_up_to_three(seed_report):
    sides = [(len(p.alignment.a_sentences), len(p.alignment.b_sentences)) for p in seed_report.pairs]
    assert all(min(n) == 1 and max(n) <= 3 for n in sides), sides  # no 2:2 (001 [6,7] ~ 003 [1,2] before)


def test_free_sentences_that_are_each_others_best_at_a_high_cosine_are_never_left_unmatched(encoder, seed_report):
    import numpy as np

    high = seed_report.signature.alignment.high
    by_id = {a.id: a for a in seed_report.articles}
    for a, b in seed_report.signature.version_pairs:
        free_a = [u.sentence for u in seed_report.unmatched if u.article == a and b in u.missing_in]
        free_b = [u.sentence for u in seed_report.unmatched if u.article == b and a in u.missing_in]
        if not free_a or not free_b:
            continue
        sims = encoder.encode([by_id[a].sentences[i].text for i in free_a]) @ \
            encoder.encode([by_id[b].sentences[j].text for j in free_b]).T
        best_b, best_a = sims.argmax(axis=1), sims.argmax(axis=0)
        mutual = [(i, int(j)) for i, j in enumerate(best_b) if best_a[j] == i and sims[i, j] >= high]
        assert mutual == [], (a, b, [(free_a[i], free_b[j], float(np.round(sims[i, j], 3))) for i, j in mutual])


def test_a_quote_repeated_word_for_word_aligns_with_its_sentence_not_a_closer_topic(encoder):
    """000 [10] quotes what 004 [2] quotes; MiniLM ranks 004's lead (same topic) higher. Shared words decide."""
    report = compare([_seed("000"), _seed("004")], model=encoder)
    found = {p.alignment.a_sentences: p.alignment.b_sentences for p in report.pairs}
    assert found.get((10,)) == (2,)


def test_alignment_does_not_depend_on_which_version_comes_first(encoder):
    ab = compare([_seed("001"), _seed("003")], model=encoder)
    ba = compare([_seed("003"), _seed("001")], model=encoder)
    assert _pairs(ab) == {(b, a) for a, b in _pairs(ba)}


def _with_headline(text: str, headline: str, blank: bool) -> str:
    return headline + ("\n\n" if blank else "\n") + text


def test_a_headline_ending_in_a_full_stop_is_read_as_a_headline_and_pairs_with_the_other(encoder):
    one = _seed("001")
    body = one.text[one.title_end:].lstrip("\n")
    copy = article_from_text(_with_headline(body, one.title + ".", blank=True), id="copy")
    assert copy.title == one.title + "."
    report = compare([one, copy], model=encoder)
    assert ((0,), (0,)) in _pairs(report)
    assert report.unmatched == []


def test_a_headline_only_one_version_has_pairs_with_the_same_line_read_as_body(encoder):
    one = _seed("001")
    body = one.text[one.title_end:].lstrip("\n")
    run_in = article_from_text(_with_headline(body, one.title + ".", blank=False), id="run-in")
    assert run_in.title is None  # no blank line: its first line is body text
    report = compare([one, run_in], model=encoder)
    headline = next(p for p in report.pairs if p.alignment.a_sentences == (0,))
    assert headline.alignment.b_sentences == (0,) and headline.alignment.similarity > 0.95
    assert report.unmatched == []


def test_a_headline_with_no_counterpart_is_reported_not_dropped(encoder):
    one = _seed("001")
    body = article_from_text(one.text[one.title_end:].lstrip("\n"), id="body", detect_headline=False)
    report = compare([one, body], model=encoder)
    assert all(0 not in p.alignment.a_sentences for p in report.pairs)
    assert [(u.article, u.sentence) for u in report.unmatched][:1] == [(one.id, 0)]


def _hand_aligned(a_text: str, b_text: str, vectors: "list", merged: "object | None" = None,
                  settings: AlignmentSettings = AlignmentSettings()):
    """Align two texts whose sentence vectors are given by hand (rows: a's sentences, then b's); merged
    texts are embedded as ``merged`` (None: the first vector). Returns (result, texts embedded)."""
    import numpy as np

    a = prepare_article(article_from_text(a_text, id="a", detect_headline=False))
    b = prepare_article(article_from_text(b_text, id="b", detect_headline=False))
    na, nb = len(a.sentences), len(b.sentences)
    assert na + nb == len(vectors), [s.text for s in a.sentences + b.sentences]
    rows = np.array(vectors, dtype=np.float32)
    embedded: list[str] = []

    def embed(texts: list[str]):
        embedded.extend(texts)
        return np.tile(rows[0] if merged is None else merged, (len(texts), 1))

    index = SentenceIndex(rows, {"a": (0, na), "b": (na, na + nb)})
    eligible = {"a": list(range(na)), "b": list(range(nb))}
    result = Aligner([a, b], index, eligible, embed, settings).align([("a", "b")])[0]
    return result, embedded


def _basis(n: int = 8):
    import numpy as np

    return np.eye(n)


def _merge_texts_embedded(neighbour: str) -> list[str]:
    """Texts the aligner embeds when a0 (sure pair with b0) has ``neighbour`` next to it, a neighbour
    whose vector is close enough to b0 to be proposed for a merge; the vectors are made by hand."""
    e = _basis(4)
    result, embedded = _hand_aligned(
        "The finance minister said the levy would raise two billion euros. " + neighbour,
        "The finance minister said the levy would raise two billion euros and fund school meals.\n\n"
        "Opposition parties objected.", [e[0], 0.6 * e[0] + 0.8 * e[1], e[0], e[2]])
    assert result.alignments[0].b_sentences == (0,)
    return embedded


def test_a_neighbour_that_says_none_of_the_partners_words_is_never_embedded_for_a_merge():
    """The shared-word veto is decided before the merged text goes through the model (issue 12 speed)."""
    assert _merge_texts_embedded("A volcano erupted in Iceland.") == []
    assert _merge_texts_embedded("It will fund school meals.") == [
        "The finance minister said the levy would raise two billion euros. It will fund school meals."]


def test_a_merged_half_whose_words_are_in_the_partner_joins_though_its_cosine_ranks_it_elsewhere():
    """a1 is b0's second half word for word, but its cosine to b0 (0.35) is 0.16 behind a free sentence of
    another fact (b2, 0.51): outside ``merge_reach``, so only its words propose it (``merge_says``)."""
    e = _basis()
    b0 = 0.8 * e[0] + 0.6 * e[1]
    y = 0.35 / 0.6
    a1 = y * e[1] + 0.6375 * e[4] + (1 - y * y - 0.6375 ** 2) ** 0.5 * e[5]
    vectors = [e[0], a1, e[3], b0, e[3], 0.6 * e[3] + 0.8 * e[4]]
    a = ("Talks failed. Critics called the decision a betrayal of voters across the northern provinces. "
         "Rain is forecast for the weekend.")
    b = ("Talks failed; critics called the decision a betrayal of voters across the northern provinces.\n\n"
         "Rain is forecast for the weekend.\n\nShares in the company fell sharply.")
    result, _ = _hand_aligned(a, b, vectors, merged=b0)
    assert [(al.a_sentences, al.b_sentences) for al in result.alignments] == [((0, 1), (0,)), ((2,), (1,))]
    words_off, _ = _hand_aligned(a, b, vectors, merged=b0, settings=AlignmentSettings(merge_says=1.01))
    assert words_off.unmatched_a == [1]  # the rule is what joins it


def test_near_duplicates_are_told_apart_by_their_aligned_neighbours():
    """The same line twice in each version, its vectors a hair closer crosswise: the pairing that keeps
    the neighbours aligned to each other wins (``tie``)."""
    e = _basis()
    v, w = e[2], 0.999 * e[2] + (1 - 0.999 ** 2) ** 0.5 * e[3]
    text = ("The minister resigned on Monday. Talks will resume in May.\n\n"
            "Prices rose sharply. Talks will resume in May.")
    vectors = [e[0], v, e[1], w, e[0], w, e[1], v]
    result, _ = _hand_aligned(text, text, vectors)
    assert [(al.a_sentences, al.b_sentences) for al in result.alignments] == [((i,), (i,)) for i in range(4)]
    crosswise, _ = _hand_aligned(text, text, vectors, settings=AlignmentSettings(tie=0.0))
    assert ((1,), (3,)) in [(al.a_sentences, al.b_sentences) for al in crosswise.alignments]


def test_a_weak_pair_between_aligned_neighbours_needs_no_margin():
    """a1 and b1 are each other's best at 0.50, with b3 at 0.49: no margin, but the sentences before
    and after them are aligned to each other (``anchored_margin``)."""
    e = _basis()
    t3 = 0.49 * e[2] + (1 - 0.49 ** 2) ** 0.5 * e[5]
    vectors = [e[0], e[2], e[1], e[0], 0.5 * e[2] + 0.75 ** 0.5 * e[3], e[1], t3]
    a = "Parliament met at noon. Farmers blocked the roads. Snow fell overnight."
    b = "Parliament met at noon. Tractors stopped traffic. Snow fell overnight. Bankers were unhappy."
    result, _ = _hand_aligned(a, b, vectors)
    assert ((1,), (1,)) in [(al.a_sentences, al.b_sentences) for al in result.alignments]
    strict, _ = _hand_aligned(a, b, vectors, settings=AlignmentSettings(anchored_margin=0.05))
    assert strict.unmatched_a == [1]


def test_a_sentence_repeated_in_one_version_is_reported_not_merged_into_its_copy(encoder):
    """b says the quote twice: the second copy has no counterpart in a. It used to join the first copy's
    pair (a 1:2 'merge' of two identical sentences, drift 0), so the repeat was never reported."""
    lines = A_TEXT.split("\n")
    a = article_from_text(A_TEXT, id="a", detect_headline=False)
    b = article_from_text("\n".join(lines[:2] + lines[1:]), id="b", detect_headline=False)
    report = compare([a, b], model=encoder)
    assert _pairs(report) == {((0,), (0,)), ((1,), (1,)), ((2,), (3,)), ((3,), (4,))}
    assert [(u.article, u.sentence, u.missing_in) for u in report.unmatched] == [("b", 2, ("a",))]


def test_copies_of_a_repeated_sentence_pair_one_to_one():
    """a says a line twice, b three times: two 1:1 pairs and one copy reported, not a[1, 2] ~ b[1] with
    b's other two copies unmatched."""
    e = _basis()
    a = "Parliament met at noon. Talks will resume in May. Talks will resume in May. Snow fell overnight."
    b = ("Parliament met at noon. Talks will resume in May. Talks will resume in May. Talks will resume in May. "
         "Snow fell overnight.")
    result, _ = _hand_aligned(a, b, [e[0], e[2], e[2], e[1], e[0], e[2], e[2], e[2], e[1]],
                              merged=0.97 * e[2] + 0.0591 ** 0.5 * e[3])
    pairs = [(al.a_sentences, al.b_sentences) for al in result.alignments]
    assert all(len(x) == len(y) == 1 for x, y in pairs), pairs
    assert len(pairs) == 4 and len(result.unmatched_b) == 1 and result.unmatched_a == []
