"""Cue-word checks: negation, hedges and modals, and the person a sentence speaks of.

Part of the typed checks (``drift.score.evidence``). Each reads the few cue tokens
of a text (``Reading.cues``) or its set of words, so it is linear in the sentence.
"""
from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from drift.score.finding import STRENGTH, Finding, Token

if TYPE_CHECKING:  # pragma: no cover
    from drift.score.evidence import Reading

NEGATION_CUES = frozenset(
    "not no never nobody nothing none neither nor without cannot n't nowhere".split()
)
#: Words that carry a negation inside them: "are unable to" says what "will not be able to" says.
#: They count for polarity (one negation each side: no flip) but never raise a negation on their own.
IMPLICIT_NEGATIVES = frozenset(
    """unable impossible fail fails failed failing refuse refuses refused lack lacks lacked lacking absent
    neglect neglected deny denies denied prevent prevented unaware unlikely""".split()
)
STRONG_HEDGES = frozenset(
    """apparently allegedly reportedly purportedly purported alleged believed perhaps possibly probably
    likely suspected seemingly presumably unconfirmed""".split()
)
MODALS = frozenset("will would may might could can should must shall".split())
#: Past this many words on the two sides together (far past a sentence or a merged group of three), the
#: negation check places negations by the words on either side of them, not by aligning the texts: difflib's
#: alignment grows faster than the text.
ALIGN_TOKENS = 600
TENTATIVE_MODALS = frozenset("may might could would".split())
ALL_CUES = NEGATION_CUES | STRONG_HEDGES | MODALS | IMPLICIT_NEGATIVES
#: Personal pronouns by grammatical person and number: a change of group is a change of who.
PRONOUN_GROUPS = {w: g for g, ws in {
    "1s": "i me my mine myself", "1p": "we us our ours ourselves", "2": "you your yours yourself yourselves",
    "3m": "he him his himself", "3f": "she her hers herself", "3p": "they them their theirs themselves"}.items()
    for w in ws.split()}


#: Words that report speech (the attribution checks: "X said", "according to X").
SPEECH_CUES = frozenset(
    """said says say told tells stated states declared declares added adds explained explains claimed claims
    insisted insists warned warns announced announces revealed reveals replied replies assured assures noted
    notes suggested suggests specified specifies according believe believes believed accused accuses
    confirmed confirms denied denies blamed blames argued argues wrote writes""".split()
)
#: The third person: its subjects, and its groups (a pronoun of theirs stands for someone a rewording may name).
SUBJECT_PRONOUNS = frozenset("he she they".split())
THIRD_PERSON = frozenset({"3m", "3f", "3p"})


def is_pronoun(word: str, key: str) -> bool:
    """A personal pronoun, as written: "US" in capitals is the country, not "us" (as "IS" is no "is")."""
    return key in PRONOUN_GROUPS and not (len(word) > 1 and word.isupper())


def is_cue(key: str) -> bool:
    """Whether a folded token is one the cue checks read."""
    return key in ALL_CUES or key.endswith("n't")


def cue_findings(a: "Reading", b: "Reading", cues: frozenset[str], kind: str, strength: float) -> list[Finding]:
    count_a = [t for t in a.cues if t.key in cues or t.key.endswith("n't") and "n't" in cues]
    count_b = [t for t in b.cues if t.key in cues or t.key.endswith("n't") and "n't" in cues]
    keys_a = sorted(_cue_key(t.key) for t in count_a)
    keys_b = sorted(_cue_key(t.key) for t in count_b)
    if keys_a == keys_b:
        return []
    if kind == "negation" and len(keys_a) == len(keys_b):
        return []  # "no" / "not": the polarity holds
    only_a = [t for t in count_a if _cue_key(t.key) not in keys_b]
    only_b = [t for t in count_b if _cue_key(t.key) not in keys_a]
    if not only_a and not only_b:
        return []
    return [Finding(kind, strength, _offsets(only_a), _offsets(only_b))]


def negation_findings(a: "Reading", b: "Reading") -> list[Finding]:
    """Polarity flips when one side is negated and the other is not, or when a negation is added
    to a clause both sides share ("has assured ... will not" / "has not assured ... will not").
    A different count of negations said in other words on both sides ("wasn't ... wasn't" /
    "not") is rarely a flip. A negation said inside a word ("not able" / "unable", "did not" /
    "failed to") keeps the polarity."""
    explicit_a, explicit_b = negations(a), negations(b)
    implicit_a = sum(t.key in IMPLICIT_NEGATIVES for t in a.cues)
    implicit_b = sum(t.key in IMPLICIT_NEGATIVES for t in b.cues)
    if explicit_a + implicit_a == explicit_b + implicit_b:
        return []  # "will not be able to" / "are unable to": the same polarity, said another way
    found = cue_findings(a, b, NEGATION_CUES, "negation", STRENGTH["negation"])
    if not (explicit_a and explicit_b):
        return found
    long = len(a.tokens) + len(b.tokens) > ALIGN_TOKENS  # aligning the words would grow faster than the text
    lone_a, lone_b = _unmatched_contexts(a, b) if long else _unaligned_negations(a, b)
    said_a = [t for t in lone_a if _is_negation(t.key)]
    said_b = [t for t in lone_b if _is_negation(t.key)]
    if bool(lone_a) != bool(lone_b) and (said_a or said_b):
        # Every negation of one side sits in the same words on the other, which has one more.
        return [Finding("negation", STRENGTH["negation"], _offsets(said_a), _offsets(said_b))]
    if not found and (said_a or said_b):
        return [Finding("negation", STRENGTH["negation_count"], _offsets(said_a), _offsets(said_b))]
    return [Finding("negation", STRENGTH["negation_count"], f.a, f.b) for f in found]


def negations(reading: "Reading") -> int:
    """How many negations a text says outright ("not", "never", "n't"; not "unable")."""
    return sum(_is_negation(t.key) for t in reading.cues)


def _unaligned_negations(a: "Reading", b: "Reading") -> tuple[list[Token], list[Token]]:
    """The negation cues (said or inside a word) of each side outside the runs of words both sides share,
    in order: a "not" in "has not assured that ... will not be" against "has assured that ... will not be"
    is the first, not the second. Called only when both sides are negated a different number of times."""
    keys_a, keys_b = [t.key for t in a.tokens], [t.key for t in b.tokens]
    shared_a: set[int] = set()
    shared_b: set[int] = set()
    for i, j, size in SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_matching_blocks():
        shared_a.update(range(i, i + size))
        shared_b.update(range(j, j + size))
    return ([t for n, t in enumerate(a.tokens) if n not in shared_a and _negates(t.key)],
            [t for n, t in enumerate(b.tokens) if n not in shared_b and _negates(t.key)])


def _unmatched_contexts(a: "Reading", b: "Reading") -> tuple[list[Token], list[Token]]:
    """The negation cues of each side whose neighbours (the word before, the word after) no negation of the
    other side has: ``_unaligned_negations`` in linear time, for texts past ``ALIGN_TOKENS``."""
    def contexts(reading: "Reading") -> list[tuple[tuple[str, str], Token]]:
        keys = [t.key for t in reading.tokens]
        return [((keys[i - 1] if i else "", keys[i + 1] if i + 1 < len(keys) else ""), t)
                for i, t in enumerate(reading.tokens) if _negates(t.key)]

    def unmatched(own: list[tuple[tuple[str, str], Token]], other: list[tuple[tuple[str, str], Token]]) -> list[Token]:
        left = Counter(context for context, _ in other)
        out = []
        for context, token in own:
            if left[context]:
                left[context] -= 1
            else:
                out.append(token)
        return out

    ca, cb = contexts(a), contexts(b)
    return unmatched(ca, cb), unmatched(cb, ca)


def _negates(key: str) -> bool:
    return _is_negation(key) or key in IMPLICIT_NEGATIVES


def hedge_findings(a: "Reading", b: "Reading") -> list[Finding]:
    """A hedge lost or gained is serious; a hedge said in other words ("may" / "likely") is not."""
    found = cue_findings(a, b, STRONG_HEDGES, "modality", STRENGTH["hedge"])
    hedged_a = bool(a.keys & (STRONG_HEDGES | TENTATIVE_MODALS))
    hedged_b = bool(b.keys & (STRONG_HEDGES | TENTATIVE_MODALS))
    if found and hedged_a and hedged_b:
        return [Finding("modality", STRENGTH["hedge_word"], f.a, f.b) for f in found]
    return found


def modal_findings(a: "Reading", b: "Reading") -> list[Finding]:
    return cue_findings(a, b, MODALS, "modality", STRENGTH["modal"])


def person_findings(a: "Reading", b: "Reading") -> list[Finding]:
    """A change of person or pronoun: "I did not hear" / "we did not hear", "he" / "she".

    Groups (1st singular, 1st plural, 2nd, he, she, they) that one side uses and the other
    does not; both sides with such a group is a swap, one side only is weaker (a pronoun
    the other side replaced by a noun).
    """
    pronouns_a = [t for t in a.tokens if is_pronoun(t.text, t.key)]
    pronouns_b = [t for t in b.tokens if is_pronoun(t.text, t.key)]
    groups_a = {PRONOUN_GROUPS[t.key] for t in pronouns_a}
    groups_b = {PRONOUN_GROUPS[t.key] for t in pronouns_b}
    if groups_a != groups_b:  # a possessive of a person the other side never names is a dropped word, not a change
        pronouns_a = _kept_pronouns(pronouns_a, groups_b, a, b)
        pronouns_b = _kept_pronouns(pronouns_b, groups_a, b, a)
        groups_a = {PRONOUN_GROUPS[t.key] for t in pronouns_a}
        groups_b = {PRONOUN_GROUPS[t.key] for t in pronouns_b}
    if groups_a == groups_b:
        return []
    only_a = _offsets([t for t in pronouns_a if PRONOUN_GROUPS[t.key] not in groups_b])
    only_b = _offsets([t for t in pronouns_b if PRONOUN_GROUPS[t.key] not in groups_a])
    strength = STRENGTH["person"] if only_a and only_b else STRENGTH["person_one_side"]
    return [Finding("person", strength, only_a, only_b)]


#: Pronouns that stand before a noun ("their money"); "her" is also an object ("told her"), "its" is no person.
POSSESSIVES = frozenset("my our your his her their".split())


def _kept_pronouns(pronouns: list[Token], other_groups: set[str], own: "Reading", other: "Reading") -> list[Token]:
    """``pronouns`` less the possessives of a group ``other`` lacks whose noun ``other`` writes with none:
    "after saving their money" / "after saving money" drops a determiner and changes nobody's person."""
    bare = {t.key for before, t in zip((None, *other.tokens), other.tokens, strict=False)
            if before is None or before.key not in POSSESSIVES}
    noun = {t.start: n.key for t, n in zip(own.tokens, own.tokens[1:], strict=False)}
    return [t for t in pronouns if not (t.key in POSSESSIVES and PRONOUN_GROUPS[t.key] not in other_groups
                                        and noun.get(t.start) in bare and noun[t.start] not in PRONOUN_GROUPS)]


def stands_for_a_noun(finding: Finding, a_text: str, b_text: str) -> bool:
    """A one-sided change of person whose pronouns are all of the third person ("He added ..." / "..., Macron
    said"): the other side names whom the pronoun stands for, a rewording that an explanation need not show.
    A swap ("he" / "she", "I" / "we") is a change of who, and so is a first or second person on one side."""
    if finding.kind != "person" or (finding.a and finding.b) or not (finding.a or finding.b):
        return False
    spans, text = (finding.a, a_text) if finding.a else (finding.b, b_text)
    return all(PRONOUN_GROUPS.get(text[s:e].lower()) in THIRD_PERSON for s, e in spans)


def speaker_unnamed(reading: "Reading") -> bool:
    """Whether a third-person pronoun ("he insisted", "She added that") or an office ("explained the head of
    state") is who speaks: a speaker that the other side may name ("Macron insisted") with no change of who
    said it."""
    tokens = reading.tokens
    for i, t in enumerate(tokens):
        if t.key in SUBJECT_PRONOUNS and is_pronoun(t.text, t.key) and speaks(reading, i, i):
            return True
        first = _office_start(tokens, i)
        if first is not None and speaks(reading, first, i):
            return True
    return False


#: Offices a story has one holder of per country, written in lower case after a determiner ("the head of
#: state", "the French president"): a name's stand-in. Not "the minister" or "the spokesman", who may be
#: anyone, nor "President Biden", whose name is written.
OFFICES = (("head", "of", "state"), ("head", "of", "government"), ("prime", "minister"), ("president",),
           ("premier",), ("chancellor",))
_DETERMINERS = frozenset("the his her".split())


def _office_start(tokens: tuple[Token, ...], last: int) -> int | None:
    """Where an office ending at token ``last`` starts, with its determiner and at most one adjective before it
    ("the French president"), if it is one."""
    for office in OFFICES:
        first = last - len(office) + 1
        if first >= 1 and tuple(t.key for t in tokens[first:last + 1]) == office:
            if not all(t.text.islower() for t in tokens[first:last + 1]):
                return None
            return next((d for d in (first - 1, first - 2) if d >= 0 and tokens[d].key in _DETERMINERS), None)
    return None


def speaks(reading: "Reading", first: int, last: int, window: int = 2) -> bool:
    """Whether tokens ``first``..``last`` stand as a speaker: a word that reports speech within ``window``
    tokens ("Macron said", "said Macron", "Macron, however, warned")."""
    tokens = reading.tokens
    return any(reports_speech(tokens, i) for i in range(max(0, first - window), min(len(tokens), last + window + 1)))


def reports_speech(tokens: tuple[Token, ...], i: int) -> bool:
    """Whether token ``i`` reports what someone said: not a passive report about its subject ("the group,
    believed to be responsible", "he is said to have left"), which names no speaker."""
    return tokens[i].key in SPEECH_CUES and not (
        i + 2 < len(tokens) and tokens[i + 1].key == "to" and tokens[i + 2].key in _PASSIVE_INFINITIVES)


_PASSIVE_INFINITIVES = frozenset("be have".split())


def _offsets(tokens: list[Token]) -> tuple[tuple[int, int], ...]:
    return tuple((t.start, t.end) for t in tokens)


def _is_negation(key: str) -> bool:
    return key in NEGATION_CUES or key.endswith("n't")


def _cue_key(key: str) -> str:
    return "n't" if key.endswith("n't") else key
