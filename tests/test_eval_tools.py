"""The evaluation scripts' own arithmetic (scripts/eval_structure.py, scripts/measure_accuracy.py,
scripts/cv_structure.py, scripts/wrap_documents.py): what the datasheet quotes; and the fuzzer's
(scripts/fuzz_pipeline.py)."""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import pytest

import fuzz_pipeline
from eval_structure import build_thread, calibration, calibration_lines, infer_oracle
from measure_accuracy import (
    COUNT_KEYS,
    as_top_level_readers,
    bootstrap_intervals,
    interval,
    metrics_of,
    one_comment_per_line,
)
from threadloom.model import Decision
from threadloom.pipeline import process_text
from threadloom.structure import infer_structure
from threadloom.turns import TURN_EVIDENCE
from wrap_documents import move_key, wrap_document


def test_calibration_lines_give_the_split_at_0_9_and_the_expected_calibration_error() -> None:
    decisions = [(0.95, True)] * 9 + [(0.95, False), (0.6, True), (0.6, False)]
    head, bins = calibration_lines("dev", "parent", decisions)
    assert "0.900 (10)" in head and "0.500 (2)" in head
    # (|0.9 - 0.95| * 10 + |0.5 - 0.6| * 2) / 12
    assert head.endswith("ECE 0.058")
    assert "0.60->0.50 (2)" in bins and "0.95->0.90 (10)" in bins


def test_a_confidence_of_one_falls_in_the_last_bin() -> None:
    _, bins = calibration_lines("dev", "name", [(1.0, True), (0.1, False)])
    assert "1.00->1.00 (1)" in bins and "0.10->0.00 (1)" in bins


def test_platt_fit_recovers_a_known_mapping() -> None:
    from fit_calibration import fit_platt, logit
    from threadloom.learned import sigmoid as squash

    pairs: list[tuple[float, bool]] = []
    for step in range(1, 20):
        stated = step / 20
        truth = squash(0.5 * logit(stated) - 0.2)
        right = round(400 * truth)
        pairs += [(stated, True)] * right + [(stated, False)] * (400 - right)
    a, b = fit_platt(pairs)
    assert abs(a - 0.5) < 0.02 and abs(b + 0.2) < 0.02


def counts(**given: int) -> dict[str, int]:
    """One document's counts as score.py's score_doc adds them up; unnamed counts are 0."""
    return {**dict.fromkeys(COUNT_KEYS, 0), **given}


def doc(ok: int, n: int = 10, names: int = 0) -> dict[str, int]:
    """A synthetic document of n comments, ok of them right on every metric; names of them named."""
    return counts(b_tp=ok, b_fp=n - ok, b_fn=n - ok, span_n=n, span_ok=ok, par_n=n, par_ok=ok,
                  auth_n=n, auth_ok=ok, name_n=names, name_ok=names, name_pred_n=names,
                  name_pred_ok=names)


def test_metrics_of_hand_computed_counts() -> None:
    m = metrics_of(counts(b_tp=6, b_fp=2, b_fn=4, span_n=5, span_ok=3, par_n=8, par_ok=2, auth_n=4,
                          auth_ok=3, name_n=10, name_ok=1, name_pred_n=0, name_pred_ok=0))
    # boundary precision 6/8, recall 6/10: F1 = 2 * 0.75 * 0.6 / 1.35
    assert abs(m["boundary_f1"] - 2 / 3) < 1e-12
    assert (m["exact_span"], m["parent_acc"], m["author_acc"], m["name_recall"]) == (0.6, 0.25, 0.75, 0.1)
    assert m["name_precision"] == 0.0  # over no predicted names, as score.py prints it


def test_cross_validation_pools_the_counts_and_averages_each_metric_over_the_sources_it_counts() -> None:
    from cv_structure import summary

    a = counts(b_tp=8, b_fp=2, b_fn=2, span_n=10, span_ok=6, par_n=10, par_ok=5, auth_n=20, auth_ok=10,
               name_n=4, name_ok=2, name_pred_n=2, name_pred_ok=2)
    b = counts(b_tp=1, b_fp=1, b_fn=1, span_n=2, span_ok=2, par_n=2, par_ok=2, auth_n=4, auth_ok=4)
    table = summary({"big": a, "small": b})
    assert table["big"]["parent_acc"] == 0.5 and table["small"]["parent_acc"] == 1.0
    assert table["pooled"]["parent_acc"] == round(7 / 12, 4)  # the counts added, not the rates
    assert table["macro"]["parent_acc"] == 0.75  # each source weighs the same
    assert table["pooled"]["boundary_f1"] == round(2 * 9 / (2 * 9 + 3 + 3), 4)
    # "small" names no one: its name figures are no figures, not zeros in the average
    assert table["macro"]["name_recall"] == 0.5 and table["macro"]["name_precision"] == 1.0
    assert table["macro"]["n_gold_comments"] == 2  # the sources averaged


def test_the_line_baseline_makes_each_non_blank_line_after_the_article_a_top_level_readers_comment() -> None:
    gold = {"article": {"start": 1, "end": 2}}
    rows = one_comment_per_line(gold, ["Title", "Body.", "", "First!", "  ", "Second,", "still second."])
    assert [(r["raw_line_start"], r["raw_line_end"]) for r in rows] == [(4, 4), (6, 6), (7, 7)]
    assert all(r["parent_id"] is None and r["is_post_author"] is False for r in rows)
    assert len({r["comment_id"] for r in rows}) == 3


def test_the_reader_baseline_keeps_the_spans_and_drops_links_flags_and_names() -> None:
    rows = [{"comment_id": "c0", "parent_id": None, "is_post_author": False, "speaker_name": "Ann",
             "raw_line_start": 5, "raw_line_end": 6},
            {"comment_id": "c1", "parent_id": "c0", "is_post_author": True, "speaker_name": "Bo",
             "raw_line_start": 7, "raw_line_end": 7}]
    trivial = as_top_level_readers(rows)
    assert [(r["raw_line_start"], r["raw_line_end"], r["comment_id"]) for r in trivial] == [
        (5, 6, "c0"), (7, 7, "c1")]
    assert all(r["parent_id"] is None and not r["is_post_author"] and r["speaker_name"] is None
               for r in trivial)
    assert rows[1]["parent_id"] == "c0"  # the release's rows are left as they were


def test_percentile_interval_and_the_half_of_the_draws_rule() -> None:
    values = [i / 100 for i in range(101)]
    low, high = interval(values, draws=101) or (None, None)
    assert low is not None and high is not None
    assert abs(low - 0.025) < 1e-12 and abs(high - 0.975) < 1e-12
    assert interval([0.5] * 999, draws=2000) is None
    assert interval([0.5] * 1000, draws=2000) == (0.5, 0.5)


def test_bootstrap_is_deterministic_for_a_seed() -> None:
    groups = [[doc(3), doc(7), doc(5)], [doc(9), doc(2)], [doc(6)]]
    first = bootstrap_intervals(groups, 300, seed=7)
    assert first == bootstrap_intervals(groups, 300, seed=7)
    assert first != bootstrap_intervals(groups, 300, seed=8)


def test_the_interval_contains_the_point_estimate_of_a_reasonable_sample() -> None:
    groups = [[doc(ok) for ok in (4, 6, 5, 7, 3)], [doc(ok) for ok in (6, 8, 5, 7)],
              [doc(ok) for ok in (2, 5, 6)], [doc(ok) for ok in (5, 5, 7, 4, 6, 8)]]
    point = metrics_of(counts(**{key: sum(d[key] for g in groups for d in g) for key in COUNT_KEYS}))
    bounds = bootstrap_intervals(groups, 1000, seed=1)
    assert bounds is not None
    for metric in ("boundary_f1", "exact_span", "parent_acc", "author_acc"):
        b = bounds[metric]
        assert b is not None and b[0] < point[metric] < b[1]


def test_identical_documents_give_a_zero_width_interval() -> None:
    bounds = bootstrap_intervals([[doc(6, names=2)] * 3, [doc(6, names=2)] * 2], 200, seed=0)
    assert bounds is not None
    assert bounds["parent_acc"] == (0.6, 0.6) and bounds["name_precision"] == (1.0, 1.0)


def test_one_unlike_blog_widens_the_interval_when_blogs_are_resampled() -> None:
    alike = [[doc(8), doc(7), doc(8)] for _ in range(4)]
    unlike = [doc(1), doc(2), doc(1)]
    by_blog = bootstrap_intervals([*alike, unlike], 2000, seed=3)
    as_one = bootstrap_intervals([[d for g in [*alike, unlike] for d in g]], 2000, seed=3)
    assert by_blog is not None and as_one is not None
    (low, high), (one_low, one_high) = by_blog["parent_acc"] or (0, 0), as_one["parent_acc"] or (0, 0)
    assert high - low > 1.5 * (one_high - one_low) > 0


def test_a_single_document_has_no_interval_but_two_do() -> None:
    assert bootstrap_intervals([[doc(5)]], 100, seed=0) is None
    assert bootstrap_intervals([[]], 100, seed=0) is None
    assert bootstrap_intervals([[doc(5)], [doc(7)]], 100, seed=0) is not None


def test_name_precision_skips_draws_without_predicted_names() -> None:
    # one document of ten predicts (right) names: draws without it have no precision, not 0.0
    bounds = bootstrap_intervals([[doc(5, n=12, names=12)] + [doc(5)] * 9], 500, seed=0)
    assert bounds is not None and bounds["name_precision"] == (1.0, 1.0)
    no_names = bootstrap_intervals([[doc(5)] * 4], 100, seed=0)
    assert no_names is not None and no_names["name_precision"] is None
    assert no_names["exact_span"] == (0.5, 0.5)


def test_a_metric_over_fewer_than_ten_cases_has_no_interval() -> None:
    bounds = bootstrap_intervals([[doc(5, names=2)] * 4, [doc(6, names=2)]], 200, seed=0)  # 10 names
    assert bounds is not None and bounds["name_precision"] is not None
    few = bootstrap_intervals([[doc(5, names=2)] * 4], 200, seed=0)  # 8 predicted names
    assert few is not None and few["name_precision"] is None and few["name_recall"] is None
    assert few["parent_acc"] == (0.5, 0.5)


def test_wrapping_with_blank_lines_moves_the_answer_key_to_the_same_text() -> None:
    """Every comment paragraph wrapped, a blank line after each paragraph: the moved key names the
    same words, and no blank line falls inside a comment."""
    lines = ["An article paragraph.", "A first comment, long enough to be wrapped over two lines or more.",
             "A reply, also long enough that the wrap breaks it into two or three lines."]
    gold = {"article": {"start": 1, "end": 1},
            "comments": [{"start": 2, "end": 2, "parent": None}, {"start": 3, "end": 3, "parent": 2}]}
    out, first, last = wrap_document(lines, 1, 30, False, blank_between=True)
    moved = move_key(gold, first, last)
    assert out[-1] != ""  # no blank line after the last paragraph
    for old, new in zip(gold["comments"], moved["comments"], strict=True):
        text = " ".join(out[new["start"] - 1 : new["end"]])
        assert text == lines[old["start"] - 1] and "" not in out[new["start"] - 1 : new["end"]]
    assert moved["comments"][1]["parent"] == moved["comments"][0]["start"]
    assert out[moved["article"]["end"]] == ""  # the blank line after the article


def test_training_reads_a_document_as_a_build_does() -> None:
    """The thread training and evaluation start from is a build's, encoding repair included: a
    mojibake line reads repaired, and the decisions are the pipeline's."""
    text = ("A post about bridges.\nThe trail reopens on Saturday.\nGreat post! Iâ€™ve walked it twice.\n"
            "Is the car park open again?\nIt is, since Monday.\n")
    thread = build_thread(text, "t.txt")
    assert thread.lines[2].text == "Great post! I've walked it twice."  # repaired, then viewed
    built = process_text(text, "t.txt")
    inferred = infer_structure(thread)
    assert [(c.raw_line_start, c.raw_line_end, c.parent, c.is_post_author) for c in inferred.comments] == [
        (c.raw_line_start, c.raw_line_end, c.parent, c.is_post_author) for c in built.comments]


ORACLE_TEXT = ("A post about bridges.\nThe trail reopens on Saturday.\n"
               "Great post! Is the car park open again?\nIt is, since Monday.\nThanks for the answer!\n")
ORACLE_GOLD = {"article": {"start": 1, "end": 2}, "comments": [
    {"start": 3, "end": 3, "parent": None, "is_post_author": False},
    {"start": 4, "end": 4, "parent": 3, "is_post_author": True},
    {"start": 5, "end": 5, "parent": 4, "is_post_author": False},
]}


@pytest.mark.parametrize("flags", [(False, True, False), (True, False, True), (False, False, False)])
def test_the_oracle_ladder_feeds_the_post_author_flags_it_is_given(flags: tuple[bool, ...]) -> None:
    """--oracle-authors: the stages after the author model read the flags given, whatever the
    model would say; the spans are the gold ones either way."""
    gold = {**ORACLE_GOLD, "comments": [{**c, "is_post_author": f} for c, f in
                                        zip(ORACLE_GOLD["comments"], flags, strict=True)]}
    thread = build_thread(ORACLE_TEXT, "t.txt")
    told = infer_oracle(thread, gold, gold_authors=True)
    assert tuple(c.is_post_author for c in told.comments) == flags
    assert all(c.post_author_decision.evidence == ("oracle: gold post-author flag",) for c in told.comments)
    assert [(c.raw_line_start, c.raw_line_end) for c in told.comments] == [(3, 3), (4, 4), (5, 5)]
    assert [c.raw_line_start for c in infer_oracle(thread, gold).comments] == [3, 4, 5]


def test_post_author_flags_must_match_the_comments() -> None:
    from threadloom.segment import Span
    from threadloom.structure import structure_from_spans

    gold = Decision(1.0, ("gold",))
    spans = [Span(3, 3, gold), Span(4, 5, gold)]
    with pytest.raises(ValueError, match="3 post-author flags for 2 comments"):
        structure_from_spans(build_thread(ORACLE_TEXT, "t.txt"), 2, gold, spans, flags=[(False, gold)] * 3)


def test_speaker_turn_splits_are_tallied_as_boundaries_and_as_turns() -> None:
    turn = Decision(0.75, (f"{TURN_EVIDENCE}: the author model reads ...",))
    thread = process_text("A post.\nThanks for this post.\nGlad it helped.\n", "t.txt")
    comments = [replace(c, boundary=turn) if c.position == len(thread.comments) - 1 else c
                for c in thread.comments]
    gold = {"article": {"end": 1}, "comments": [{"start": c.raw_line_start, "end": c.raw_line_end,
                                                  "is_post_author": False, "parent": None} for c in comments]}
    tally: dict[str, list[tuple[float, bool]]] = {}
    calibration(replace(thread, comments=tuple(comments)), gold, tally)
    assert tally["turn"] == [(0.75, True)]
    assert len(tally["boundary"]) == len(comments)


def test_the_fuzzer_damages_deterministically_and_reports_what_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "A post about trails.\nThe trail reopens.\nGreat post, thanks!\nIs the car park open?\n"
    first = [fuzz_pipeline.damage(text, random.Random(seed)) for seed in range(20)]
    assert first == [fuzz_pipeline.damage(text, random.Random(seed)) for seed in range(20)]
    assert len(set(first)) > 10  # the edits vary
    (tmp_path / "raw").mkdir()
    assert fuzz_pipeline.check(text, tmp_path) is None

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("min() arg is an empty sequence")

    monkeypatch.setattr(fuzz_pipeline, "process_text", broken)
    assert fuzz_pipeline.check(text, tmp_path) == "ValueError: min() arg is an empty sequence"
