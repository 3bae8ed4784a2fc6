"""Comment boundaries (segment.py): where each comment starts and ends after the article cut."""

from __future__ import annotations

import pytest

from threadloom.cues import is_closing_formula, is_postscript
from threadloom.learned import all_weights, logit, top_reasons
from threadloom.segment import (
    CLOSING_LINE_WORDS,
    _pair_features,
    _start_reasons,
    closed_by_sign_off,
    comment_spans,
    is_closing_line,
    is_salutation,
    signed_off,
    start_features,
    start_logit,
    start_probability,
)
from threadloom.structure import infer_structure
from threads import BREAD, ROSES, ROSES_ARTICLE_END, ROSES_STARTS, make_thread, text_lines_of


def test_comment_starts_follow_openers_and_sign_offs() -> None:
    spans = comment_spans(text_lines_of(ROSES), ROSES_ARTICLE_END)
    assert [s.start for s in spans] == ROSES_STARTS


def test_sign_off_and_signature_stay_with_their_comment() -> None:
    spans = comment_spans(text_lines_of(ROSES), ROSES_ARTICLE_END)
    assert spans[-1].end == len(ROSES)


# (line before, candidate signature line, line after, does the next comment start after it?)
SIGNATURE_CASES = [
    ("Cheers,", "Marta, editor at the Valley Gardener", "I disagree with the premise of the post.", True),
    ("That is all I wanted to add.", "-Joe", "Great write-up, thanks for putting it up.", True),
    ("That is all I wanted to add.", "— Joe Bloggs", "Great write-up, thanks for putting it up.", True),
    ("I prune this way every year and it works.", "Priya", "Thanks for the kind words, Priya!", True),
    ("Thanks again for the help!", "Tomas", "Lisbon, Portugal", False),  # a short line: the rest of it
    ("Try this in the config file:", "Change", "cache: false and restart the server afterwards", False),
    ("We moved the whole cluster to the new", "Grafana", "dashboards last week, they load faster.", False),
    ("I prune this way every year and it works.", "Marta,", "I disagree with the post.", False),
    ("I prune this way every year and it works.", "It works.", "Thanks for the kind words!", False),
    ("I prune this way every year and it works.", "Priya", "def prune(cane): return cane[:3]", False),
]


@pytest.mark.parametrize(("before", "prev", "cur", "expected"), SIGNATURE_CASES)
def test_a_signature_closes_its_comment(before: str, prev: str, cur: str, expected: bool) -> None:
    assert signed_off(before, prev, cur) is expected


CLOSING_LINES = [  # (a comment then the next, where the first comment ends and the next spans, evidence)
    (["Cheers,", "Marta", "I have a question about the timing of the second cut in spring.",
      "Does it depend on the frost dates where you live?"], (4, 5, 6),
     "signature: 'Marta' closes the comment before"),
    (["Best", "We prune ours in late winter and they do fine."], (3, 4, 4),
     "sign-off: 'Best' closes the comment before"),
    (["You could also prune right after the first flush of flowers.", "Hope this helps!",
      "That worked, thank you so much for the quick answer."], (4, 5, 5),
     "closing: 'Hope this helps!' closes the comment before"),
    (["Water them well in the first summer.", "Let me know how it goes and if the frost gets them.",
      "Mine came back twice as full after a hard prune in March."], (4, 5, 5),
     "closing: 'Let me know how it goes and if the frost' closes the comment before"),
    (["Does the same cut work for shrub roses?", "P.S. The photo of the shears in step two is upside down.",
      "Yes, the same cut works for shrubs."], (4, 5, 5),
     "closing: 'P.S. The photo of the shears in step two' closes the comment before"),
]


@pytest.mark.parametrize(("tail", "where", "evidence"), CLOSING_LINES)
def test_the_line_after_a_closing_line_starts_the_next_comment(tail: list[str], where: tuple[int, int, int],
                                                               evidence: str) -> None:
    lines = text_lines_of(["Great guide, the photos make every step clear.",
                    "I tried it on my climbing roses and they came back twice as full.", *tail])
    spans = comment_spans(lines, 0)
    assert (spans[-2].end, spans[-1].start, spans[-1].end) == where
    assert spans[-1].decision.evidence == (evidence,)


SALUTATION_CASES = [  # (line, does it only greet or address someone, as a letter opens?)
    ("Ben,", True), ("Hi Andy,", True), ("Hello,", True), ("Hey Ping,", True), ("Dear Mary Ann,", True),
    ("Cheers,", False), ("Thanks,", False), ("Regards,", False),  # sign-offs, over a name
    ("Awesome,", False), ("However,", False), ("I agree,", False), ("Well,", False),
    ("Sheldon, community manager", False), ("Ben, you said the cut should wait until spring.", False),
]


@pytest.mark.parametrize(("line", "expected"), SALUTATION_CASES)
def test_a_salutation_is_a_line_that_only_greets(line: str, expected: bool) -> None:
    assert is_salutation(line) is expected


def test_a_salutation_line_opens_a_comment() -> None:
    """A lone "Marta," reads to the start model like the comment above's last line (< 0.5); as a
    salutation it opens the next comment (SALUTATION_P), and the evidence says so."""
    texts = ["Great guide, the photos make every step clear.", "I prune this way every year and it works.",
             "Marta,", "I disagree with the premise of the post, the cuts are too early."]
    assert start_probability(texts[1], texts[2], texts[3]) < 0.5
    spans = comment_spans(text_lines_of(texts), 0)
    assert [(s.start, s.end) for s in spans][-1] == (3, 4)
    assert spans[-1].decision.evidence == ("salutation: 'Marta,' opens a comment, as a letter opens",)


CLOSING_FORMULA_CASES = [  # (line, does it open with a formula that closes a comment?)
    ("Hope this helps!", True), ("Hope that helps.", True), ("Let me know how it goes.", True),
    ("Let us know how it worked for you!", True), ("Good luck!", True),
    ("Best of luck with the build.", True), ("Keep us posted.", True), ("Any thoughts?", True), ("HTH", True),
    ("Good post, thanks.", False), ("Let the dough rest overnight.", False), ("I hope this helps.", False),
    ("Any idea why the build fails at the linking step on Debian?", False), ("Best,", False),
]


@pytest.mark.parametrize(("line", "expected"), CLOSING_FORMULA_CASES)
def test_a_closing_formula_is_found_at_the_start_of_a_line(line: str, expected: bool) -> None:
    assert is_closing_formula(line) is expected


def test_a_closing_formula_ends_the_comment_it_is_in() -> None:
    """The start model learns the formula as a cue against a start (on the dev threads 8 of 9 such
    lines ended a comment): "Hope this helps!" under an answer stays with the answer."""
    prev, line = "Then restart the service and the delay should be gone.", "Hope this helps!"
    assert ("closing_formula", 1.0) in _pair_features(prev, line, None)
    assert all_weights()["start"]["closing_formula"] < 0
    texts = ["Great guide, it fixed the delay on my laptop.", "Why does it come back after a reboot?",
             prev, line, "Thanks, that did it."]
    assert start_probability(prev, line, texts[4]) < 0.5
    spans = comment_spans(text_lines_of(texts), 0)
    assert 4 not in [s.start for s in spans]


def test_a_short_greeting_line_opens_the_comment_the_next_line_goes_on_with() -> None:
    """"Hello! Many thanks for this post." (six words) greets; the question under it is the same
    comment's (GREETING_LINE_WORDS)."""
    greeting = "Hello! Many thanks for this post."
    body = "I try to set it up on my Pi 3 but the service will not start."
    assert ("prev_greeting_line", 1.0) in _pair_features(greeting, body, None)
    spans = comment_spans(text_lines_of(["Great guide, it fixed the delay on my laptop.", greeting, body]), 0)
    assert [(s.start, s.end) for s in spans] == [(1, 1), (2, 3)]


CLOSING_LINE_CASES = [  # (line, a short closing formula that ends its comment)
    ("Hope this helps!", True),
    ("Let me know if anything else comes up!", True),
    ("Any thoughts?", True),
    ("Good luck, and let us know how the repair turns out!", True),
    ("Let me know how your new pump works out. Ours ran well for a month, then it started to rattle "
     "at night and the seller would not take it back, so we took it apart and fixed it ourselves.", False),
    ("I hope this helps someone else.", False),  # not a formula at the line's start
]


@pytest.mark.parametrize(("text", "expected"), CLOSING_LINE_CASES)
def test_a_short_closing_formula_is_a_closing_line(text: str, expected: bool) -> None:
    assert is_closing_line(text) is expected


POSTSCRIPT_CASES = [  # (line, does it open as a postscript?)
    ("P.S. The link in step two is broken.", True), ("PS: I'm not paid by the vendor.", True),
    ("PS Another idea would be a second pump.", True), ("P.P.S. and thanks for the photos!", True),
    ("p.s. it works on the older model too", True), ("ps: just started, more soon", True),
    ("PS, the shop also sells the seals.", True),
    ("PS C:\\Users\\ann> .\\install.ps1", False),  # PowerShell's prompt, in pasted code
    ("PS4 owners will want the other cable.", False), ("PSA: the firmware bricks the router.", False),
    ("Ps. 23 is read at the service.", False), ("PSU and cables are in the box.", False),
    ("Pasted the log below.", False),
]


@pytest.mark.parametrize(("text", "expected"), POSTSCRIPT_CASES)
def test_a_postscript_is_found_at_the_start_of_a_line(text: str, expected: bool) -> None:
    assert is_postscript(text) is expected


def test_a_postscript_of_any_length_goes_on_with_the_comment_above_and_ends_it() -> None:
    """A P.S. is written after the letter it adds to: on the dev and held-out threads all 5 such
    lines went on with the comment above and were its last line."""
    long_ps = "P.S. " + " ".join(["The seals from the hardware store fit as well, and they cost less."] * 4)
    assert len(long_ps.split()) > CLOSING_LINE_WORDS and is_closing_line(long_ps)
    texts = ["Great guide, the photos make every step clear.", "Why does the pump rattle after a week?",
             long_ps, "It rattles when the intake sits too close to the bottom."]
    spans = comment_spans(text_lines_of(texts), 0)
    assert [(s.start, s.end) for s in spans] == [(1, 1), (2, 3), (4, 4)]


def test_a_sign_off_under_a_closing_line_stays_in_the_comment() -> None:
    texts = ["Great guide, the photos make every step clear.", "Prune right after the first flush.",
             "Hope this helps!", "Cheers,", "Mike"]
    spans = comment_spans(text_lines_of(texts), 0)
    assert spans[-1].end == 5 and not {4, 5} & {s.start for s in spans}


SIGN_OFF_CASES = [  # (line before, line, ends the comment before it)
    ("Best", "Another thing to try is a thinner glue for the joints.", True),
    ("Cheers.", "The package should be installed before you run the script.", True),
    ("Thanks again!", "I had the same problem and a reinstall fixed it.", True),
    ("Cheers,", "Marta", False),  # the name after the comma is the rest of the comment
    ("Cheers,", "I think the post is right about the timing of the second cut.", False),
    ("Thanks.", "Marta", False),  # a signature follows: it ends the comment instead
    ("best.", "The package should be installed before you run the script.", False),  # a wrapped line
    ("Thanks for the detailed answer.", "Another thing to try is a thinner glue.", False),  # no sign-off
]


@pytest.mark.parametrize(("prev", "cur", "expected"), SIGN_OFF_CASES)
def test_a_lone_sign_off_closes_its_comment(prev: str, cur: str, expected: bool) -> None:
    assert closed_by_sign_off(prev, cur) is expected


def test_a_sign_off_that_opens_its_comment_closes_nothing() -> None:
    # "Thanks!" then the answer: not read as closing a comment
    opening = comment_spans(text_lines_of(["Thanks!", "We prune ours in late winter and they do fine."]), 0)
    assert not any(s.decision.evidence[0].startswith("sign-off") for s in opening)


def test_a_signature_line_is_not_a_comment_of_its_own() -> None:
    """A lone name after an exclamation reads like a start to the start model (> 0.5); as the
    signature of the comment before (the next line starts the next comment), it ends that one."""
    texts = ["Great guide, the photos make every step clear.", "Wow, this is great!", "Priya",
             "I have a question about the timing of the second cut in spring."]
    assert start_probability(texts[1], texts[2], texts[3]) > 0.5
    spans = comment_spans(text_lines_of(texts), 0)
    assert [(s.start, s.end) for s in spans][-2:] == [(2, 3), (4, 4)]


def test_a_signature_on_the_last_line_closes_the_last_comment() -> None:
    """At the end of the page nothing follows a lone name to say it closes a comment: a name
    after a finished sentence is the last comment's signature, not a comment of its own."""
    texts = ["Great guide, the photos make every step clear.", "Lovely write-up, thank you!", "Anne"]
    assert start_probability(texts[1], texts[2], None) > 0.5  # the start model alone splits it off
    spans = comment_spans(text_lines_of(texts), 0)
    assert [(s.start, s.end) for s in spans] == [(1, 1), (2, 3)]


@pytest.mark.parametrize("closing", ["Thanks for the lovely post.",
                                     "Thanks again for the write-up and for answering everyone here."])
def test_the_line_over_a_signature_ends_the_comment_it_signs(closing: str) -> None:
    """A thanks over a lone name reads like a start to the start model (> 0.5); over the signature
    it is the last line of the comment the name signs (SIGNED_BELOW), not a comment of its own."""
    texts = ["Great guide, the photos make every step clear.",
             "I planted mine in March and lost two of the five to frost.",
             "In my experience the second year is when the roots really take hold, so patience pays.",
             closing, "Marta", "Did you water them through the winter?"]
    assert start_probability(texts[2], texts[3], texts[4]) > 0.5
    spans = comment_spans(text_lines_of(texts), 0)
    assert [(s.start, s.end) for s in spans][-2:] == [(2, 5), (6, 6)]


# (a comment that quotes, then answers the quote) after one comment: the answer stays in it
QUOTE_THEN_ANSWER = [
    ["Great post, Nora! I always wondered when to prune mine.",
     "> Do you seal the cuts afterwards, or leave them open?",
     "No, I leave them open; a clean cut heals on its own."],
    ["Great post, Nora! I always wondered when to prune mine.",
     "“Do you seal the cuts afterwards, or leave them open?”",
     "No, I leave them open; a clean cut heals on its own."],
]


@pytest.mark.parametrize("texts", QUOTE_THEN_ANSWER)
def test_the_answer_to_a_quoted_line_stays_in_its_comment(texts: list[str]) -> None:
    assert start_probability(texts[1], texts[2], None) > 0.5  # alone, the answer reads like a start
    spans = comment_spans(text_lines_of(texts), 0)
    assert [(s.start, s.end) for s in spans] == [(1, 1), (2, 3)]


def test_thanks_again_reads_less_like_a_start_than_a_first_thanks() -> None:
    """"Thanks again" repeats a thanks from earlier in the comment (the start model's
    thanks_again cue, learned on the dev sources)."""
    prev = "I leave them open; a clean cut on a dry day heals on its own, so I only seal thick canes."
    for again, first in (("Thanks again for the clear instructions!", "Thanks for the clear instructions!"),
                         ("Thank you again, this was so helpful.", "Thank you, this was so helpful.")):
        assert start_probability(prev, again, None) < start_probability(prev, first, None) - 0.05


def test_hard_wrapped_line_continues_the_comment() -> None:
    prev = "I tried this last weekend and the bushes looked much tidier, but I was worried about the"
    assert start_probability(prev, "thorns scratching my arms the whole time.", None) < 0.5


def test_greeting_line_opens_a_new_comment() -> None:
    assert (
        start_probability(
            "That is all there is to it, really.", "Hi Nora, quick question about timing.", None
        )
        > 0.5
    )


def test_comments_cover_every_line_after_the_article_once() -> None:
    thread = infer_structure(make_thread(ROSES))
    covered = [n for c in thread.comments for n in range(c.raw_line_start, c.raw_line_end + 1)]
    assert covered == list(range(thread.article_line_end + 1, len(ROSES) + 1))
    assert [c.position for c in thread.comments] == list(range(len(thread.comments)))


@pytest.mark.parametrize("author", [None, "Marta"])
def test_start_logit_is_the_start_models_logit_of_start_features(author: str | None) -> None:
    """The dict-free scorer the decoders use gives the very float the feature dict gives."""
    lines = [line for text in ROSES for line in text.split("\n")]
    lines += ["Marta, thanks!", "Hi Marta, thanks", "x = 1"]
    for i in range(1, len(lines)):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        for following in (nxt, None):
            features = start_features(lines[i - 1], lines[i], following, author)
            assert start_logit(lines[i - 1], lines[i], following, author) == logit("start", features)


@pytest.mark.parametrize("author", [None, "Marta"])
def test_start_reasons_are_the_top_reasons_of_start_features(author: str | None) -> None:
    """comment_spans' evidence, read from the scorer's terms, names what the feature dict names."""
    lines = [line for text in [*ROSES, *BREAD] for line in text.split("\n")]
    lines += ["Marta, thanks!", "Hi Marta, thanks", "x = 1", "Cheers,", "Marta", "- Joe", "@marta yes"]
    for i in range(1, len(lines)):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        for following in (nxt, None):
            pair = _pair_features(lines[i - 1], lines[i], author)
            features = start_features(lines[i - 1], lines[i], following, author)
            expected = top_reasons("start", features, +1.0)
            assert _start_reasons(lines[i - 1], lines[i], following, pair) == expected


def test_swapped_weights_reach_the_cached_start_scores_and_are_restored() -> None:
    """Cross-validation swaps a fold's weights in: scores derived from the weights (and cached)
    must follow, and the shipped ones come back after."""
    from threadloom.learned import swap_weights

    prev, cur = ROSES[ROSES_ARTICLE_END - 1], ROSES[ROSES_ARTICLE_END]
    shipped = start_logit(prev, cur, None)
    with swap_weights({"start": {"bias": 2.5}}):
        assert start_logit(prev, cur, None) == 2.5
        with swap_weights({"start": {"bias": -1.0, "cur:len=1-3": 9.0}}):
            assert start_logit(prev, cur, None) == -1.0  # this line is longer than three words
        assert start_logit(prev, cur, None) == 2.5
    assert start_logit(prev, cur, None) == shipped
