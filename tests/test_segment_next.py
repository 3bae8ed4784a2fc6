"""Segmentation v2 (segment_next + segment_model): joint scores, change-point cut, length-aware decode."""

from __future__ import annotations

import json
from importlib import resources

from segment_threads import NO_ARTICLE, SOURDOUGH, SOURDOUGH_FIRST, SOURDOUGH_STARTS
from threadloom.segment_model import (
    MAX_LEN,
    Analysis,
    changepoint_cut,
    decode_comments,
    start_posteriors,
)
from threadloom.segment_next import TextLine, article_cut, comment_spans
from threads import ROSES, ROSES_ARTICLE_END, ROSES_STARTS


def _lines(texts: list[str]) -> list[TextLine]:
    return [TextLine(i, t) for i, t in enumerate(texts, start=1)]


def _analysis(article: list[float], start: list[float], length: list[float] | None = None) -> Analysis:
    n = len(article)
    return Analysis([()] * n, article, [0.0] * n, start, length or [0.0] * (MAX_LEN + 1))


# ---- decoders on hand-made scores ------------------------------------------------------------


def test_changepoint_cut_is_where_article_evidence_drops() -> None:
    cut = changepoint_cut(_analysis([3.0] * 5 + [-3.0] * 4, [0.0] * 9), clip=4.0, cut_weight=0.0)
    assert cut.first == 5


def test_changepoint_cut_ignores_a_constant_offset() -> None:
    # a blog whose every line reads 2 points more "article" keeps the same cut
    cut = changepoint_cut(_analysis([5.0] * 5 + [-1.0] * 4, [0.0] * 9), clip=8.0, cut_weight=0.0)
    assert cut.first == 5


def test_changepoint_cut_allows_a_document_without_article() -> None:
    cut = changepoint_cut(_analysis([-3.0] * 6, [0.0] * 6), clip=4.0, cut_weight=1.0)
    assert cut.first == 0


def test_decode_starts_comments_where_start_scores_are_positive() -> None:
    starts = decode_comments(_analysis([0.0] * 6, [0.0, 0.0, 2.0, -2.0, 3.0, -1.0]), first=1)
    assert starts == [1, 2, 4]


def test_length_prior_can_merge_a_weak_start() -> None:
    # a 1-line comment is penalised; the weak start at index 2 is absorbed into the comment before
    length = [0.0, -3.0] + [0.0] * (MAX_LEN - 1)
    starts = decode_comments(_analysis([0.0] * 5, [0.0, 0.0, 1.0, -2.0, -2.0], length), first=1)
    assert starts == [1]


def test_start_posteriors_are_probabilities_that_follow_the_scores() -> None:
    post = start_posteriors(_analysis([0.0] * 5, [0.0, 0.0, 4.0, -4.0, 0.0]), first=1, temperature=1.0)
    assert post[1] == 1.0
    assert all(0.0 <= p <= 1.0 for p in post)
    assert post[2] > 0.9 > 0.1 > post[3]


# ---- the shipped model on invented threads ---------------------------------------------------


def test_weights_ship_in_the_package_and_stay_small() -> None:
    text = resources.files("threadloom").joinpath("segment_weights.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert len(text) < 100_000
    assert {"bc", "ac", "len"} <= set(data["weights"])


def test_article_cut_lands_on_the_first_reader_comment() -> None:
    first, decision = article_cut(_lines(SOURDOUGH))
    assert first == SOURDOUGH_FIRST
    assert 0.0 <= decision.confidence <= 1.0 and decision.evidence


def test_article_cut_on_roses_thread() -> None:
    first, _ = article_cut(_lines(ROSES))
    assert first == ROSES_ARTICLE_END


def test_comments_only_document_has_no_article() -> None:
    first, _ = article_cut(_lines(NO_ARTICLE))
    assert first == 0


def test_greeting_praise_and_thanks_open_comments() -> None:
    spans = comment_spans(_lines(SOURDOUGH), SOURDOUGH_FIRST)
    assert [s.start - 1 for s in spans] == SOURDOUGH_STARTS


def test_list_after_a_colon_stays_in_its_comment() -> None:
    spans = comment_spans(_lines(SOURDOUGH), SOURDOUGH_FIRST)
    assert (spans[-1].start, spans[-1].end) == (9, 11)


def test_sign_off_and_signature_stay_with_their_comment() -> None:
    spans = comment_spans(_lines(ROSES), ROSES_ARTICLE_END)
    assert [s.start for s in spans] == ROSES_STARTS
    assert spans[-1].end == len(ROSES)


def test_hard_wrapped_line_never_starts_a_comment() -> None:
    texts = [
        "Great post! I tried the method on my own sourdough last weekend and the crumb came out",
        "much more open than before, so thank you.",
        "Thanks for the kind words!",
    ]
    spans = comment_spans(_lines(texts), 0)
    assert (spans[0].start, spans[0].end) == (1, 2)


def test_spans_cover_every_line_after_the_cut_once() -> None:
    spans = comment_spans(_lines(ROSES), ROSES_ARTICLE_END)
    covered = [n for s in spans for n in range(s.start, s.end + 1)]
    assert covered == list(range(ROSES_ARTICLE_END + 1, len(ROSES) + 1))


def test_span_confidence_is_a_probability_with_evidence() -> None:
    for span in comment_spans(_lines(SOURDOUGH), SOURDOUGH_FIRST):
        assert 0.0 <= span.decision.confidence <= 1.0
        assert span.decision.evidence and "posterior" in span.decision.evidence[0]


def test_empty_document_has_no_comments() -> None:
    first, _ = article_cut([])
    assert first == 0 and comment_spans([], first) == []
