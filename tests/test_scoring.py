"""Scoring stage: severity, word spans from token vectors, kinds, faithful paraphrases."""
from __future__ import annotations

import pytest
from scoring_helpers import _single_pair, _span_texts

from drift.score.scorer import ScoringSettings

#: Every pair flagged at least minor: what a flag shows (kinds, spans, explanation) tested apart from where the
#: calibrated thresholds put it (the learned scorer's severity: tests/test_learned.py, benchmarks/README.md).
SHOW_ALL = ScoringSettings(minor=0.0)


def test_identical_sentences_have_no_drift(encoder):
    pair = _single_pair(encoder, "The tax takes effect in January.", "The tax takes effect in January.")
    assert pair.severity == "none" and pair.drift == 0.0 and pair.spans == ()


def test_changed_verb_is_shown_with_its_words(encoder):
    pair = _single_pair(
        encoder,
        "Intelligence services believe that this entity fomented this attack and carried it out.",
        "Intelligence services believe that this entity planned this attack and carried it out.",
        SHOW_ALL,
    )
    assert "fomented" in _span_texts(pair, "a") and "planned" in _span_texts(pair, "b")
    assert "Intelligence" not in _span_texts(pair, "a")


def test_place_swap_is_an_entity_span(encoder):
    pair = _single_pair(encoder, "The president arrived in Guyana on Monday evening.",
                        "The president arrived in Senegal on Monday evening.")
    assert pair.severity in ("minor", "major")
    kinds = {s.kind for s in pair.spans if "Guyana" in s.text or "Senegal" in s.text}
    assert kinds == {"entity"}
    assert "entity" in pair.kinds and "Guyana" in pair.explanation


def test_changed_count_is_a_number_span(encoder):
    pair = _single_pair(encoder, "The attack left 137 people dead near Moscow.",
                        "The attack left 73 people dead near Moscow.")
    assert any(s.kind == "number" and s.text == "137" for s in pair.spans)


@pytest.mark.parametrize("a_text,b_text", [
    ("We will see how the context evolves and whether the coming days justify it.",
     "We will see how the context develops and whether the coming days justify it."),
    ("The minister raised the alert level to its maximum.", "The minister raised the alert level to its highest."),
    ("“It would be cynical,” he insisted to the press.", "\"It would be cynical,\" he insisted to the press."),
])
def test_faithful_paraphrases_are_never_major(encoder, a_text, b_text):
    pair = _single_pair(encoder, a_text, b_text)
    assert pair.severity in ("none", "minor")


def test_quote_style_alone_is_no_drift(encoder):
    pair = _single_pair(encoder, "“It would be cynical,” he insisted to the press.",
                        "\"It would be cynical,\" he insisted to the press.")
    assert pair.severity == "none" and pair.spans == ()


def test_drift_is_bounded_and_severity_follows_thresholds(seed_report):
    scoring = seed_report.signature.to_dict()["thresholds"]["scoring"]
    for pair in seed_report.pairs:
        assert 0.0 <= pair.drift <= 1.0
        expected = "major" if pair.drift >= scoring["major"] else "minor" if pair.drift >= scoring["minor"] else "none"
        assert pair.severity == expected
        if pair.severity == "none":
            assert pair.spans == () and pair.kinds == ()
        else:
            assert pair.explanation and set(pair.kinds) >= {s.kind for s in pair.spans}


# -- typed kinds end to end (issue: typed, calibrated drift) --------------------------------

KIND_CASES = [
    ("lexical", "Intelligence believes this entity fomented the attack and carried it out.",
     "Intelligence believes this entity planned the attack and carried it out."),
    ("entity", "He spoke upon his arrival in Guyana on Monday.", "He spoke upon his arrival in Senegal on Monday."),
    ("number", "The attack left 137 people dead near Moscow.", "The attack left 37 people dead near Moscow."),
    ("modality", "The group, which is apparently involved in the attack, tried several times.",
     "The group, which is involved in the attack, tried several times."),
    ("attribution", "The plot targeted Strasbourg, Attal explained on Monday.",
     "The plot targeted Strasbourg, Darmanin explained on Monday."),
    ("quote", "He said “we continue to fight effectively against these groups” on Monday.",
     "He said “we continue to fight ruthlessly against these groups” on Monday."),
    ("negation", "Russia has recognised the group as culpable for the attack.",
     "Russia has not recognised the group as culpable for the attack."),
    ("addition", "The attack on the concert hall killed 137 people.",
     "The attack on the concert hall killed 137 people, and the gunmen then set the whole building on fire."),
    ("omission", "Security forces arrested four men on Saturday, while the army sealed every road out of the city.",
     "Security forces arrested four men on Saturday."),
]


@pytest.mark.parametrize("kind,a_text,b_text", KIND_CASES, ids=[c[0] for c in KIND_CASES])
def test_each_kind_is_found_with_its_words(encoder, kind, a_text, b_text):
    from drift.pipeline import score_pairs

    (pair,) = score_pairs([(a_text, b_text)], model=encoder, scoring=SHOW_ALL)
    assert kind in pair.kinds, (pair.kinds, pair.explanation)
    if kind == "quote":  # a swapped quoted word is shown as what it is; "quote" names the pair
        assert any("effectively" in sp.text for sp in pair.spans) and any("ruthlessly" in sp.text for sp in pair.spans)
    else:
        assert any(sp.kind == kind for sp in pair.spans)


@pytest.mark.parametrize("a_text,b_text", [
    ("France had offered the Russian services increased cooperation.",
     "France had proposed to the Russian services increased cooperation."),
    ("The government raised its national security threat level to the highest tier.",
     "The government elevated its national security threat level to the highest tier."),
    ("The meeting at the Elysée took place on Sunday evening.",
     "The meeting at the Elysée took place on Sunday night."),
    ("Officials in the U.S. confirmed the figures.", "Officials in the United States confirmed the figures."),
])
def test_faithful_paraphrases_stay_none_or_minor(encoder, a_text, b_text):
    from drift.pipeline import score_pairs

    (pair,) = score_pairs([(a_text, b_text)], model=encoder)
    assert pair.severity in ("none", "minor"), (pair.severity, pair.explanation)


def test_explanation_names_the_kind_and_both_sides(encoder):
    from drift.pipeline import score_pairs

    (pair,) = score_pairs([("He arrived in Guyana.", "He arrived in Senegal.")], model=encoder, scoring=SHOW_ALL)
    assert pair.explanation == "entity: 'Guyana' here, 'Senegal' in b0"


def test_word_drift_heat_map_ranks_the_changed_word_first(encoder):
    from drift.pipeline import word_drift_pairs

    (words,) = word_drift_pairs([("The minister resigned on Monday.", "The minister was sacked on Monday.")],
                                model=encoder)
    b_words = {("The minister was sacked on Monday."[s:e]): v for side, s, e, v in words if side == "b"}
    assert max(b_words, key=b_words.get) == "sacked"
    assert all(0.0 <= v <= 1.0 for *_, v in words)


def test_a_given_pair_s_similarity_is_the_float64_cosine_whatever_the_cpu():
    """score_pairs' similarity is a feature of the learned scorer: rounded to 4 places from a float32 dot
    product, whose last bits follow the CPU's vector instructions, it moved for 6 training pairs between
    two machines and the weights no longer rebuilt byte for byte. Pairs whose float32 and float64 cosines
    round apart must get the float64 one."""
    import random

    import numpy as np
    from fakes import HashEncoder

    from drift.pipeline import prepare_pairs

    encoder = HashEncoder(dim=32)
    rng = random.Random(0)
    words = "rain fell over the city as council members voted against a new harbour tax plan".split()
    texts = sorted({" ".join(rng.choice(words) for _ in range(7)).capitalize() + "." for _ in range(12000)})
    vectors = encoder.encode(texts)
    wide = vectors.astype(np.float64)
    cosines = wide[:300] @ wide.T
    edge = np.abs((cosines * 1e4) % 1 - 0.5) < 1e-3  # near a 4th place's rounding edge: where last bits tell
    apart = [(int(i), int(j)) for i, j in zip(*np.nonzero(edge), strict=True)
             if round(float(vectors[i] @ vectors[j]), 4) != round(float(wide[i] @ wide[j]), 4)]
    assert apart, "float32 and float64 cosines always round alike here: the test needs more pairs"
    chosen = apart[:10] + [(0, 1), (2, 3), (4, 5)]
    prepared = prepare_pairs([(texts[i], texts[j]) for i, j in chosen], model=encoder)
    assert [al.similarity for al in prepared.alignments] == [round(float(wide[i] @ wide[j]), 4) for i, j in chosen]
