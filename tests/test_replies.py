from __future__ import annotations

from threadloom.facts import comment_facts
from threadloom.replies import CommentView, infer_parents, path_to_root
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
