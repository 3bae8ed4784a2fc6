from __future__ import annotations

import pytest

from threadloom.facts import comment_facts
from threadloom.replies import CommentView, _question, cue_words, infer_parents, path_to_root
from threadloom.structure import infer_structure
from threads import ROSES, make_thread


def views(*comments: tuple[str, bool]) -> list[CommentView]:
    return [CommentView(comment_facts(text), is_author) for text, is_author in comments]


def test_first_comment_answers_the_post() -> None:
    parents = infer_parents(views(("Great post, Nora!", False)), "Nora")
    assert parents[0][0] is None


def test_author_answer_replies_to_the_question_before_it() -> None:
    thread = views(
        ("Lovely article, Nora.", False),
        ("Does this work for climbing roses too?", False),
        ("Yes, it does. Climbers just need a gentler cut.", True),
    )
    assert infer_parents(thread, "Nora")[2][0] == 1


def test_new_praise_for_the_post_is_top_level() -> None:
    thread = views(
        ("Does this work for climbing roses too?", False),
        ("Yes, it does. Climbers just need a gentler cut.", True),
        ("Great post, Nora. Bookmarked for next winter.", False),
    )
    assert infer_parents(thread, "Nora")[2][0] is None


def test_path_to_root_walks_up_the_parents() -> None:
    assert path_to_root([None, 0, 1, None, 3], 2) == [2, 1, 0]


def test_parent_confidence_is_a_probability_with_evidence() -> None:
    thread = views(("Does it work on climbers?", False), ("Yes, it does.", True))
    decision = infer_parents(thread, "Nora")[1][1]
    assert 0.0 <= decision.confidence <= 1.0
    assert decision.evidence and "reply-cues" in decision.evidence[0]


def test_parents_respect_depth_first_order() -> None:
    thread = infer_structure(make_thread(ROSES))
    parents = [c.parent for c in thread.comments]
    for j, parent in enumerate(parents):
        if parent is not None and j > 0:
            assert parent in path_to_root(parents, j - 1)


# (reasons reported, reply, candidate, the words the evidence quotes): "which words" of each cue
CUE_WORDS_CASES = [
    (["cmt:overlap"], ("My climbing roses bloom twice now.", False),
     ("How do you prune climbing roses in winter?", False), "shares 'climbing', 'roses'"),
    (["cmt:cand_asks:up0=True"], ("Yes, every spring.", True),
     ("Great post. Do you prune them every year?", False), "answers 'Do you prune them every year?'"),
    (["post:addresses_author"], ("Great post, Nora!", False), None, "addresses 'Nora'"),
    (["cmt:addresses_cand"], ("Thanks, Nora. That helps.", False),
     ("Prune in late winter.", True), "addresses 'Thanks, Nora'"),
    (["cmt:prev_then_thanks"], ("Thanks a lot, that worked for me.", False),
     ("Try a gentler cut.", True), "opens 'Thanks a lot, that worked'"),
    (["cmt:pair=ar", "cmt:depth=1"], ("Yes, every spring.", True), ("Do you prune?", False), ""),
]


@pytest.mark.parametrize(("reasons", "reply", "cand", "expected"), CUE_WORDS_CASES)
def test_parent_evidence_quotes_the_words_behind_its_cues(
    reasons: list[str], reply: tuple[str, bool], cand: tuple[str, bool] | None, expected: str
) -> None:
    cur, *rest = views(reply, *([cand] if cand else []))
    assert cue_words(reasons, cur, rest[0] if rest else None, "Nora") == expected


def test_a_question_is_quoted_from_its_own_sentence() -> None:
    assert _question("I pruned in May. Was that too late? It flowered anyway.") == "Was that too late?"
    assert _question("No question here.") == ""
    assert _question("Why " + "very " * 30 + "late?").startswith("...")


def test_a_parent_decision_carries_its_words() -> None:
    thread = views(("How do you prune climbing roses in winter?", False),
                   ("Climbing roses want a gentle cut in late winter.", True))
    evidence = infer_parents(thread, "Nora")[1][1].evidence
    assert evidence[0].startswith("reply-cues:") and evidence[1].startswith("words: ")
