from __future__ import annotations

from threadloom.replies import CommentView, infer_parents, path_to_root
from threadloom.structure import infer_structure
from threads import ROSES, make_thread


def test_first_comment_answers_the_post() -> None:
    parents = infer_parents([CommentView("Great post, Nora!", False)], "Nora")
    assert parents[0][0] is None


def test_author_answer_replies_to_the_question_before_it() -> None:
    views = [
        CommentView("Lovely article, Nora.", False),
        CommentView("Does this work for climbing roses too?", False),
        CommentView("Yes, it does. Climbers just need a gentler cut.", True),
    ]
    parents = infer_parents(views, "Nora")
    assert parents[2][0] == 1


def test_new_praise_for_the_post_is_top_level() -> None:
    views = [
        CommentView("Does this work for climbing roses too?", False),
        CommentView("Yes, it does. Climbers just need a gentler cut.", True),
        CommentView("Great post, Nora. Bookmarked for next winter.", False),
    ]
    assert infer_parents(views, "Nora")[2][0] is None


def test_path_to_root_walks_up_the_parents() -> None:
    assert path_to_root([None, 0, 1, None, 3], 2) == [2, 1, 0]


def test_parents_respect_depth_first_order() -> None:
    thread = infer_structure(make_thread(ROSES))
    parents = [c.parent for c in thread.comments]
    for j, parent in enumerate(parents):
        if parent is not None and j > 0:
            assert parent in path_to_root(parents, j - 1)
