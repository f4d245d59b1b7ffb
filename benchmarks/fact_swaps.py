"""Facts the typed checks must see: countries alike in spelling, and days and months.

The entity check joins a demonym or inflection to its name by spelling ("Portuguese" /
"Portugal"); before ``drift.score.places.different_countries`` it joined two countries
that share their first letters too, and the swap went unflagged. Days and months were
no names and no figures, so "on Friday" / "on Saturday" was no change before
``drift.score.numbers.date_findings``. This benchmark makes such swaps in hand-written
news sentences (no evaluation data: the sentences are below) and scores each pair at the
shipped thresholds:

- ``alike``: countries the spelling rule would join (both in ``drift.score.places``);
- ``qualified``: a place against another named by it with a qualifier ("Virginia" / "West Virginia",
  "Mexico" / "New Mexico": ``drift.score.evidence.qualified``);
- ``unlike``: the same first countries against a country spelled nothing like them;
- ``same``: a country against its own demonym, reworded ("Austria" / "Austrian officials"):
  faithful, never to be flagged;
- ``day`` / ``month``: one day of the week, or one month, for another;
- ``date kept``: the same date written more fully or differently ("on Friday" / "on Friday,
  March 22"): faithful;
- ``currency``: an amount in another currency ("$5 million" / "5 million yuan");
- ``currency kept``: the same currency written otherwise ("$5 million" / "5 million US dollars"):
  faithful;
- ``short place`` / ``short person`` / ``short figure``: a place, a person or a figure swapped in a sentence
  of 4-8 words ("The minister arrived in Beijing on Tuesday." / "... Tokyo ...");
- ``short kept``: a short sentence in another agency's style or words ("5 percent" / "5%", "resigned" /
  "stepped down"): faithful;
- ``role``: two names in each other's place ("Israel accused Iran" / "Iran accused Israel");
- ``role kept``: names of equals reordered ("France and Germany" / "Germany and France"), a passive or a
  converse verb ("Argentina lost to Brazil" / "Brazil beat Argentina"): faithful;
- ``outcome``: a casualty's outcome traded ("were injured" / "were killed");
- ``outcome kept``: the same outcomes in other words ("were killed" / "died"), or both on both sides: faithful.

- ``short figure wide`` / ``short place wide``: the same kinds of swap, 10 templates x 8 swaps each, fine
  enough to tell a retrained model's effect on short swaps.

Per group: pairs, share flagged (minor or major), share major, median drift. ``--weights FILE`` (repeatable)
scores with other weights, each at its own thresholds, in one table. Usage::

    python benchmarks/fact_swaps.py [--json] [--weights FILE ...]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

#: Sentences with one place slot; news wording, written for this benchmark.
TEMPLATES = (
    "The minister arrived in {} on Tuesday for talks on trade and security.",
    "Officials in {} said the attack was carried out by a small group of militants.",
    "The company said it would close two factories in {} by the end of the year.",
    "Thousands of people marched through the capital of {} on Sunday to protest against the new law.",
)
ALIKE = (("Austria", "Australia"), ("Niger", "Nigeria"), ("Slovenia", "Slovakia"), ("Malawi", "Malaysia"),
         ("Mauritania", "Mauritius"), ("Turkey", "Turkmenistan"), ("Guinea", "Equatorial Guinea"),
         ("Sudan", "South Sudan"))
#: A place and another one named by it with "North", "South", "East", "West" or "New" before it.
QUALIFIED = (("Virginia", "West Virginia"), ("Mexico", "New Mexico"), ("York", "New York"), ("Jersey", "New Jersey"))
UNLIKE = (("Austria", "Brazil"), ("Niger", "Chile"), ("Slovenia", "Kenya"), ("Malawi", "Norway"),
          ("Mauritania", "Vietnam"), ("Turkey", "Peru"), ("Guinea", "Japan"), ("Sudan", "Canada"))
SAME = (("Officials in Austria said the attack was carried out by a small group of militants.",
         "Austrian officials said the attack was carried out by a small group of militants."),
        ("Officials in Nigeria said the attack was carried out by a small group of militants.",
         "Nigerian officials said the attack was carried out by a small group of militants."),
        ("The company said it would close two factories in Slovakia by the end of the year.",
         "The company said it would close two Slovak factories by the end of the year."),
        ("Thousands of people marched through the capital of Turkey on Sunday to protest against the new law.",
         "Thousands of people marched through the Turkish capital on Sunday to protest against the new law."))


DAY_TEMPLATES = (
    "The attack took place on {} evening near the capital, police said.",
    "The minister will travel to Brussels on {} for talks with his counterparts.",
    "Shares fell sharply on {} after the company cut its forecast.",
    "The two leaders spoke by phone on {}, the presidency said.",
)
DAYS = (("Friday", "Saturday"), ("Monday", "Tuesday"), ("Sunday", "Thursday"), ("Wednesday", "Friday"))
MONTH_TEMPLATES = (
    "The election is expected to take place in {}, officials said.",
    "Inflation rose to its highest level since {}, the statistics office said.",
    "The company plans to open the new plant in {} next year.",
    "The ceasefire agreed in {} has largely held, the envoy said.",
)
MONTHS = (("March", "May"), ("June", "July"), ("September", "November"), ("January", "February"))
DATE_KEPT = (("The attack took place on Friday evening near the capital, police said.",
              "The attack took place on Friday, March 22, in the evening near the capital, police said."),
             ("The two leaders spoke by phone on Monday, the presidency said.",
              "The presidency said the two leaders spoke by phone on Monday."),
             ("The election is expected to take place in May, officials said.",
              "Officials said the election was expected to take place in May."),
             ("The ceasefire agreed in March has largely held, the envoy said.",
              "The envoy said the ceasefire agreed in March 2024 has largely held."))


AMOUNT_TEMPLATES = (
    "The company said it raised {} in its latest funding round.",
    "The government will spend {} on new schools next year, the minister said.",
    "The club paid {} for the striker, according to local media.",
    "Damage from the storm is estimated at {}, insurers said.",
)
AMOUNTS = (("$5 million", "5 million yuan"), ("€300 million", "$300 million"),
           ("40 million pounds", "40 million euros"), ("2 billion yuan", "2 billion dollars"))
AMOUNT_KEPT = (("$5 million", "5 million US dollars"), ("€300 million", "300 million euros"),
               ("40 million pounds", "£40 million"), ("2 billion yuan", "RMB 2 billion"))


#: Short sentences (4-8 words, as in headlines and one-line updates), where one word moves the sentence vector far
#: and the classifier, taught mostly on long pairs, read one swapped word as weak evidence.
SHORT_PLACE_TEMPLATES = ("The minister arrived in {} on Tuesday.", "Officials in {} condemned the attack.",
                         "{} recalled its ambassador.", "Protesters marched in {} on Sunday.")
SHORT_PLACES = (("Beijing", "Tokyo"), ("Paris", "Berlin"), ("Kenya", "Uganda"), ("Brazil", "Argentina"))
SHORT_PERSON_TEMPLATES = ("{} won the election.", "{} met the prime minister on Monday.",
                          "Police arrested {} on Friday.", "{} resigned after the vote.")
SHORT_PEOPLE = (("John Smith", "Peter Brown"), ("Macron", "Scholz"), ("Maria Lopez", "Anna Novak"),
                ("Biden", "Trump"))
SHORT_FIGURE_TEMPLATES = ("The attack killed {} people.", "Prices rose {} percent in March.",
                          "{} people were injured.", "The company cut {} jobs.")
SHORT_FIGURES = (("137", "73"), ("12", "21"), ("five", "seven"), ("3", "30"))
#: Wider short groups (10 templates x 8 swaps, the short groups' own among them): a 16-pair group moves by 0.06
#: a pair, too coarse to tell a retrained model's effect on short swaps from another retrain's
#: (benchmarks/README.md, "Null retrains").
WIDE_FIGURE_TEMPLATES = (*SHORT_FIGURE_TEMPLATES[:2], SHORT_FIGURE_TEMPLATES[3],
                         "Police arrested {} suspects on Monday.", "The storm destroyed {} homes.",
                         "The fire injured {} workers.", "Turnout reached {} percent on Sunday.",
                         "The bank lent {} million dollars.", "Officials counted {} votes overnight.",
                         "The ship carried {} migrants.")
WIDE_FIGURES = (*SHORT_FIGURES, ("40", "14"), ("two", "three"), ("250", "520"), ("8", "80"))
WIDE_PLACE_TEMPLATES = (*SHORT_PLACE_TEMPLATES[:2],
                        "The summit will be held in {} next week.", "Protests spread across {} overnight.",
                        "The ship sank off {} on Friday.", "Troops were sent to {} last month.",
                        "The president flew to {} for talks.", "Floods hit {} on Sunday.",
                        "The embassy in {} was closed.", "The team trained in {} before the final.")
WIDE_PLACES = (*SHORT_PLACES, ("Spain", "Italy"), ("Cairo", "Amman"), ("Poland", "Hungary"), ("Chile", "Peru"))
#: Faithful: the same short fact in another agency's style or words.
SHORT_KEPT = (("The fire killed 5 people on Tuesday.", "The fire killed five people on Tuesday."),
              ("Prices rose 5 percent in March.", "Prices rose 5% in March."),
              ("He met U.S. officials in Washington.", "He met US officials in Washington."),
              ("The vote is on March 25.", "The vote is on 25 March."),
              ("The road is 5 km long.", "The road is 5 kilometres long."),
              ("Mr. Smith resigned on Friday.", "Mr Smith resigned on Friday."),
              ("The attack left 137 dead.", "The attack killed 137 people."),
              ("The plane landed in Kyiv.", "The plane landed in Kiev."),
              ("Police arrested two men on Friday.", "Two men were arrested by police on Friday."),
              ("The minister resigned on Monday.", "The minister stepped down on Monday."),
              ("Officials in Kenya condemned the attack.", "Kenyan officials condemned the attack."),
              ("The company cut 500 jobs.", "The firm cut 500 jobs."),
              ("Protesters marched in Paris on Sunday.", "On Sunday, protesters marched in Paris."),
              ("Biden won the election.", "Biden won the vote."),
              ("The talks ended without a deal.", "The talks ended with no agreement."),
              ("He was hurt in the blast.", "He was injured in the explosion."))


#: Two names in each other's place, the words between them the same (``drift.score.roles``).
ROLE_TEMPLATES = ("{} accused {} of breaking the ceasefire.", "{} defeated {} in the final on Sunday.",
                  "The minister said {} would send troops to {} next month.",
                  "{} owes {} more than $2 billion, officials said.")
ROLES = (("Israel", "Iran"), ("Brazil", "Argentina"), ("Kenya", "Somalia"), ("China", "India"))
#: Faithful: names of equals reordered, a passive, a converse verb.
ROLE_KEPT = (("Leaders of France and Germany met in Berlin.", "Leaders of Germany and France met in Berlin."),
             ("Talks between Israel and Hamas resumed in Cairo.", "Talks between Hamas and Israel resumed in Cairo."),
             ("Biden spoke with Xi by phone on Tuesday.", "Xi spoke with Biden by phone on Tuesday."),
             ("Iran was accused by Israel of breaking the truce.", "Israel accused Iran of breaking the truce."),
             ("Argentina lost to Brazil in the final.", "Brazil beat Argentina in the final."),
             ("India and China agreed to resume patrols.", "China and India agreed to resume patrols."),
             ("Troops from Kenya will be sent to Somalia next month.", "Kenya will send troops to Somalia next month."),
             ("Macron met Scholz in Paris on Monday.", "Scholz met Macron in Paris on Monday."),
             ("The match between Spain and Italy ended 1-1.", "The match between Italy and Spain ended 1-1."),
             ("Russia and Ukraine exchanged prisoners on Friday.", "Ukraine and Russia exchanged prisoners on Friday."),
             ("Japan, South Korea and the United States held drills.",
              "The United States, Japan and South Korea held drills."),
             ("Germany's chancellor visited Poland.", "The German chancellor visited Poland."),
             ("Paris and Berlin signed the accord on Monday.", "Berlin and Paris signed the accord on Monday."),
             ("Egypt mediated between Israel and Hamas.", "Egypt mediated between Hamas and Israel."),
             ("Ukraine was attacked by Russia overnight, Kyiv said.", "Russia attacked Ukraine overnight, Kyiv said."),
             ("Spain drew with Italy 1-1.", "Italy drew with Spain 1-1."))

#: A casualty's outcome traded ("injured" / "killed": ``drift.score.antonyms``), in sentences of news length.
OUTCOME_TEMPLATES = ("Five people were {} in the blast near the market, police said.",
                     "Two soldiers were {} when their patrol hit a mine near the border.",
                     "At least 30 people were {} in the clashes, the health ministry said.",
                     "A journalist was {} by shelling in the city on Tuesday, his employer said.")
OUTCOMES = (("injured", "killed"), ("wounded", "killed"), ("killed", "injured"), ("hurt", "killed"))
#: Faithful: the same outcomes in other words, or both outcomes on both sides.
OUTCOME_KEPT = (("Five people were killed in the blast, police said.", "Five people died in the blast, police said."),
                ("The attack killed 5 people and injured 20 others.", "The attack left 5 dead and 20 wounded."),
                ("One of the injured later died in hospital.", "One of the wounded later died in hospital."),
                ("Two soldiers were wounded near the border.", "Two soldiers were injured near the border."),
                ("No one was hurt in the fire, officials said.", "No one was injured in the fire, officials said."),
                ("The crash killed three people and injured nine.",
                 "Three people died and nine were hurt in the crash."),
                ("Dozens were wounded in the shelling.", "The shelling injured dozens of people."),
                ("The death toll rose to 137 on Sunday.", "The number of dead rose to 137 on Sunday."))


def pairs() -> dict[str, list[tuple[str, str]]]:
    def swap(templates: tuple[str, ...], swaps: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
        return [(t.format(a), t.format(b)) for t in templates for a, b in swaps]

    return {"alike": swap(TEMPLATES, ALIKE), "qualified": swap(TEMPLATES, QUALIFIED),
            "unlike": swap(TEMPLATES, UNLIKE), "same": list(SAME),
            "day": swap(DAY_TEMPLATES, DAYS), "month": swap(MONTH_TEMPLATES, MONTHS), "date kept": list(DATE_KEPT),
            "currency": swap(AMOUNT_TEMPLATES, AMOUNTS), "currency kept": swap(AMOUNT_TEMPLATES, AMOUNT_KEPT),
            "short place": swap(SHORT_PLACE_TEMPLATES, SHORT_PLACES),
            "short person": swap(SHORT_PERSON_TEMPLATES, SHORT_PEOPLE),
            "short figure": swap(SHORT_FIGURE_TEMPLATES, SHORT_FIGURES), "short kept": list(SHORT_KEPT),
            "short figure wide": swap(WIDE_FIGURE_TEMPLATES, WIDE_FIGURES),
            "short place wide": swap(WIDE_PLACE_TEMPLATES, WIDE_PLACES),
            "role": [(t.format(a, b), t.format(b, a)) for t in ROLE_TEMPLATES for a, b in ROLES],
            "role kept": list(ROLE_KEPT), "outcome": swap(OUTCOME_TEMPLATES, OUTCOMES),
            "outcome kept": list(OUTCOME_KEPT)}


def measure(weights: str | None = None) -> dict[str, dict[str, float]]:
    """Per group at ``weights``' own thresholds (None: the shipped weights)."""
    from drift import score_pairs
    from drift.score.scorer import ScoringSettings

    out = {}
    for group, items in pairs().items():
        scored = score_pairs(items, scoring=ScoringSettings(weights=weights))
        drifts = [d.drift for d in scored]
        out[group] = {"pairs": len(items), "flagged": round(sum(d.severity != "none" for d in scored) / len(items), 3),
                      "major": round(sum(d.severity == "major" for d in scored) / len(items), 3),
                      "median_drift": round(statistics.median(drifts), 3)}
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--weights", action="append", metavar="FILE",
                        help="score with these weights instead of the shipped ones (repeat to compare several in "
                             "one table, each at its own thresholds)")
    args = parser.parse_args(argv)
    names = args.weights or [None]
    results = {name or "shipped": measure(name) for name in names}
    if args.json:
        print(json.dumps(results if args.weights else results["shipped"], indent=2))
        return
    print("| group | pairs | " + " | ".join(f"{n}: flagged / major / median drift" for n in results) + " |")
    print("|---|---:|" + "---|" * len(results))
    for group, r in results[names[0] or "shipped"].items():
        cells = [f"{x[group]['flagged']:.3f} / {x[group]['major']:.3f} / {x[group]['median_drift']:.3f}"
                 for x in results.values()]
        print(f"| {group} | {r['pairs']} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
