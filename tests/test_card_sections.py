"""The release card is a complete hub dataset card: how to load each version, an example record,
accuracy (measured numbers only), limitations, licence, removal, Distribution and Maintenance."""

from __future__ import annotations

import json
import re
from pathlib import Path

from release_tools import read_rows
from threadloom.cardsections import accuracy_section, datasheet_section, example_record

REPO = Path(__file__).resolve().parents[1]
HUB_SECTIONS = ("Dataset Structure", "How to load", "Uses", "Dataset Creation",
                "Personal and Sensitive Information", "Considerations and Limitations", "Licensing",
                "Removal requests", "Citation", "Distribution", "Maintenance")


def _card(release: Path) -> str:
    return (release / "README.md").read_text(encoding="utf-8")


def test_card_has_the_hub_sections_and_the_datasheets(seed_release: Path) -> None:
    headings = re.findall(r"^## (.+)$", _card(seed_release), re.M)
    for section in HUB_SECTIONS:
        assert section in headings, section


def test_card_says_how_to_load_each_version(small_release: Path) -> None:
    assert 'revision="v0.0.1"' in _card(small_release)


def test_card_example_record_is_the_first_comment(seed_release: Path) -> None:
    card = _card(seed_release)
    block = card.split("### Example record", 1)[1].split("```json\n", 1)[1].split("\n```", 1)[0]
    shown = json.loads(block)
    first = read_rows(seed_release, "comments")[0]
    assert shown["comment_id"] == first["comment_id"]
    assert first["text"].startswith(shown["text"].removesuffix(" [...]"))


def test_long_example_text_is_shortened() -> None:
    row = {"comment_id": "t/L1", "text": "x" * 500}
    assert '"text": "' + "x" * 160 + ' [...]"' in example_record([row])


def test_card_distribution_and_maintenance_quote_the_datasheet(seed_release: Path) -> None:
    datasheet = (REPO / "DATASHEET.md").read_text(encoding="utf-8")
    card = _card(seed_release)
    for heading in ("Distribution", "Maintenance"):
        assert datasheet_section(datasheet, heading) in card
        assert datasheet_section(datasheet, heading) != "See DATASHEET.md."


def test_accuracy_is_never_invented() -> None:
    assert "DATASHEET.md" in accuracy_section({"results": []})
    table = accuracy_section({"measured_with": "scripts/eval_structure.py",
                              "results": [{"split": "held-out", "metric": "parent", "value": 0.5,
                                           "n": 10}]})
    assert "| split | gold comments | parent |" in table
    assert "| held-out | 10 | 0.5 |" in table
    assert "bootstrap" not in table  # no interval was measured, none is said


def test_accuracy_sets_the_trivial_readings_beside_the_measured_figures_when_recorded() -> None:
    measured = {"results": [{"split": "held-out", "metric": "author_acc", "value": 0.798, "n": 163}]}
    assert "infer nothing" not in accuracy_section(measured)  # none recorded, none said
    nobody = {"split": "held-out", "reading": "no comment is the author's"}
    table = accuracy_section({**measured, "baselines": [{**nobody, "metric": "author_acc", "value": 0.798},
                                                        {**nobody, "metric": "parent_acc", "value": 0.429}]})
    assert "| split | reading | author_acc | parent_acc |" in table
    assert "| held-out | no comment is the author's | 0.798 | 0.429 |" in table


def test_accuracy_gives_the_measured_interval_beside_its_value() -> None:
    table = accuracy_section({"results": [{"split": "held-out", "metric": "parent", "value": 0.5, "n": 10,
                                           "interval_95": [0.38, 0.61]},
                                          {"split": "seed", "metric": "parent", "value": 0.6, "n": 9}]})
    assert "| held-out | 10 | 0.5 (0.38-0.61) |" in table
    assert "| seed | 9 | 0.6 |" in table  # one document: no interval
    assert "95% bootstrap intervals" in table
