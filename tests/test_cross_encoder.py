"""The cross-encoder experiment's data selection (benchmarks/cross_encoder.py): train splits only, no model."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from conftest import shared_path  # noqa: E402
from cross_encoder import holdout, subsample, training_pairs  # noqa: E402
from scorer_data import Example  # noqa: E402


def pairs(name: str, n: int, groups: int) -> list[Example]:
    return [Example(f"{name}/{i}", name, "train", f"{name}-g{i % groups}", "a", "b", i % 2) for i in range(n)]


def test_training_pairs_are_labelled_train_split_pairs_only():
    from scorer_bench import dev_sets

    data = shared_path("data/mqm").parent
    chosen = training_pairs(data)
    assert chosen and {e.split for e in chosen} == {"train"}
    assert {e.label for e in chosen} == {0, 1}
    assert {e.set for e in chosen} == {"ted", "news", "demetr", "synth"}  # iSTS has no pair label
    dev_ids = {e.id for examples in dev_sets(data).values() for e in examples}
    assert dev_ids and not dev_ids & {e.id for e in chosen}
    segments = {e.id.rsplit("/", 1)[0] for examples in dev_sets(data).values() for e in examples if e.set != "demetr"}
    assert segments and not segments & {e.id.rsplit("/", 1)[0] for e in chosen}  # no dev segment, any system


def test_subsample_follows_the_shares_and_is_seeded():
    items = pairs("ted", 100, 10) + pairs("news", 30, 5) + pairs("demetr", 200, 50)
    mix = {"ted": 1.0, "news": 0.5, "demetr": 0.25}
    chosen = subsample(items, mix)
    assert Counter(e.set for e in chosen) == {"ted": 60, "news": 30, "demetr": 15}  # news, scarcest, in full
    assert [e.id for e in chosen] == [e.id for e in subsample(items, mix)]
    assert [e.id for e in chosen] != [e.id for e in subsample(items, mix, seed=12)]


def test_holdout_keeps_groups_apart_and_holds_every_source():
    items = pairs("ted", 40, 4) + pairs("news", 50, 10) + pairs("demetr", 50, 25)
    items.append(Example("synth/0", "synth", "train", "ted-g0", "a", "b", 1))
    fit_on, held = holdout(items)
    assert len(fit_on) + len(held) == len(items)
    assert not {e.group for e in fit_on} & {e.group for e in held}
    assert {e.set for e in held} >= {"ted", "news", "demetr"}
