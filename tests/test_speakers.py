from __future__ import annotations

import pytest

from threadloom import cues
from threadloom.authorship import author_flags, one_writer_per_name
from threadloom.facts import comment_facts
from threadloom.model import Decision
from threadloom.names import identify, used_in_lower_case
from threadloom.speakers import AuthorName, learn_author_name, named_by_headers
from threadloom.structure import infer_structure
from threads import ROSES, make_thread


def facts(*texts: str) -> list:
    return [comment_facts(t) for t in texts]


def test_author_name_is_the_name_readers_address_most() -> None:
    texts = ["Great post, Nora!", "Lovely guide, Nora.", "Thanks, Pete. I leave them open."]
    assert learn_author_name(texts).name == "Nora"


def test_a_name_addressed_once_is_not_taken_for_the_author() -> None:
    assert learn_author_name(["Great post, Nora!", "Nice one."]).name is None


def test_metadata_author_is_used_and_said_so() -> None:
    learned = learn_author_name(["Great post!"], "Nora Lind")
    assert learned.name == "Nora Lind" and "metadata" in learned.decision.evidence[0]


def test_a_byline_names_the_author_when_nobody_addresses_them() -> None:
    learned = learn_author_name(["Nice one.", "Thanks, Pete."], article=["Pruning roses", "By Nora Lind"])
    assert learned.name == "Nora Lind"
    assert learned.decision.evidence == ("byline: 'By Nora Lind'",)


def test_a_byline_that_readers_address_too_is_surer() -> None:
    texts = ["Great post, Nora!", "Lovely guide, Nora.", "Thanks, Pete."]
    alone = learn_author_name(["Nice one."], article=["Posted by Nora Lind on May 3, 2013"])
    both = learn_author_name(texts, article=["Posted by Nora Lind on May 3, 2013"])
    assert both.name == "Nora Lind" and both.decision.confidence > alone.decision.confidence
    assert both.decision.evidence[1].startswith("addressed-most: 'Nora'")


def test_a_byline_below_the_post_header_is_not_one() -> None:
    article = ["Pruning roses", "May 3, 2013", "Gardening", "4 min read", "Intro", "By Nora Lind"]
    assert learn_author_name(["Nice one."], article=article).name is None


def test_metadata_outranks_a_byline() -> None:
    learned = learn_author_name(["Nice one."], "Ada Byron", article=["By Nora Lind"])
    assert learned.name == "Ada Byron" and learned.from_metadata


def test_a_byline_names_the_post_authors_comments_in_a_thread() -> None:
    """Commenters never address the author by name here: the byline is the only clue."""
    lines = [ROSES[0], "Posted by Nora Lind", *ROSES[1:]]
    thread = infer_structure(make_thread(lines))
    author = thread.speaker("post-author")
    assert author.name == "Nora Lind" and author.name_decision.evidence[0].startswith("byline:")
    assert learn_author_name(["x"], article=[ROSES[0], "Posted by Nora Lind"]).name == "Nora Lind"


def test_thanking_a_reader_by_name_reads_as_the_author() -> None:
    texts = facts("Do you seal the cuts afterwards?", "Thanks, Pete. I leave them open on a dry day.")
    assert author_flags(texts, "Nora")[1][0] is True


def test_comments_one_header_name_heads_are_one_writers() -> None:
    """Pete's second comment, read alone, thanks a reader by name as the author does; but its
    header names Pete, whose first comment is a reader's question: his two comments are decided
    together, and they are a reader's."""
    texts = facts("Do you seal the cuts afterwards? Mine always rot.",
                  "Thanks, Pete. I leave them open on a dry day.", "Any tips for climbing roses?",
                  "Thanks, Ivy. I cut mine back to a bud facing out, it works for me.")
    assert [flag for flag, _ in author_flags(texts, "Nora")] == [False, True, False, True]
    names = ["Pete Hall", "Nora Lind", "Ivy", "pete hall"]  # a name is the same in any case
    headed = [f._replace(header=f"{n} says:", header_name=n) for f, n in zip(texts, names, strict=True)]
    flags = author_flags(headed, "Nora")
    assert [flag for flag, _ in flags] == [False, True, False, False]
    assert flags[0][1].confidence == flags[3][1].confidence
    assert flags[3][1].evidence[0].startswith("same-writer: the header name 'pete hall' heads 2 comments")


def test_one_writers_probability_sums_the_log_odds_of_their_comments() -> None:
    texts = facts("a", "b", "c", "d")
    named = [f._replace(header_name=n) for f, n in zip(texts, ["Ann", "Bo", "ANN", None], strict=True)]
    writers = one_writer_per_name([0.9, 0.3, 0.8, 0.6], named)
    assert writers[1] is None and writers[3] is None  # a name heading one comment; no name
    assert writers[0] == writers[2] and writers[0] is not None and writers[0].comments == 2
    assert writers[0].probability == pytest.approx(0.9 * 0.8 / (0.9 * 0.8 + 0.1 * 0.2))


def _headed(names: list[str | None]) -> list:
    texts = facts(*(f"words {k}" for k in range(len(names))))
    return [f._replace(header_name=n) for f, n in zip(texts, names, strict=True)]


AUTHOR, READER = (True, Decision(0.9, ("author-cues",))), (False, Decision(0.9, ("reader-cues",)))


@pytest.mark.parametrize(("learned", "expected"),
                         [(None, "Nora Lind"), ("Nora", "Nora Lind"), ("Pete", "Pete")])
def test_the_post_author_is_named_as_the_headers_of_their_comments_name_them(
        learned: str | None, expected: str) -> None:
    """Nobody addresses the author by name, or only by their first name: the headers over the
    comments read as the author's give their name. A name addressed that the headers contradict
    stays (the headers do not decide which comments are the author's)."""
    unnamed = AuthorName(learned, Decision(0.5, ("addressed-most",)))
    named = named_by_headers(unnamed, _headed(["Ivy", "Nora Lind", "Pete", "nora lind"]),
                             [READER, AUTHOR, READER, AUTHOR])
    assert named.name == expected
    if expected != learned:
        assert named.decision.evidence[0] == "header: 'Nora Lind' heads 2 of the post author's comments"
        assert named.decision.confidence == pytest.approx(0.97 * 0.9)


def test_one_header_over_the_authors_comments_or_a_stated_name_names_nobody_else() -> None:
    nobody = AuthorName(None, Decision(0.5, ("no name",)))
    assert named_by_headers(nobody, _headed(["Ivy", "Nora Lind"]), [READER, AUTHOR]).name is None
    mixed = _headed(["Nora Lind", "Nora Lind", "Ann", "Bo"])  # two in three of the author's headers
    assert named_by_headers(nobody, mixed, [AUTHOR, AUTHOR, AUTHOR, AUTHOR]).name is None
    byline = AuthorName("Nora", Decision(0.9, ("byline: 'By Nora'",)), from_byline=True)
    assert named_by_headers(byline, _headed(["Nora Lind", "Nora Lind"]), [AUTHOR, AUTHOR]) == byline


def test_praising_the_author_by_name_reads_as_a_reader() -> None:
    assert author_flags(facts("Great post, Nora! Very helpful."), "Nora")[0][0] is False


def test_thanks_vocative_names_the_parent_speaker() -> None:
    ids = identify(
        facts("Do you seal the cuts?", "Thanks, Pete. I leave them open."), [None, 0], [False, True], "Nora"
    )
    assert ids[0].name == "Pete"
    assert "thanks-vocative" in ids[0].decision.evidence[0]


def test_a_name_the_reply_talks_about_does_not_name_the_parent() -> None:
    """"Pete has been helping me ... Thanks again, Pete!" thanks a third person, not the reader."""
    answer = "Pete has been helping me test the new guide; it is nearly done. Thanks again, Pete!"
    ids = identify(facts("Any news on the updated guide?", answer), [None, 0], [False, True], "Nora")
    assert ids[0].name is None
    again = identify(facts("Any news on the updated guide?", "Thanks again, Pete! It is nearly done."),
                     [None, 0], [False, True], "Nora")
    assert again[0].name == "Pete"  # the same thanks, with no talk about Pete: it names the reader


def test_signature_line_names_its_own_comment() -> None:
    ids = identify(facts("Lovely guide.\nCheers,\nMarta"), [None], [False], "Nora")
    assert ids[0].name == "Marta"


@pytest.mark.parametrize(("text", "name"), [
    ("Lovely guide.\nCheers,\nPaul Hendricks\nOrchard manager, Kent", "Paul"),
    ("Lovely guide.\nCheers,\nPaul Hendricks", "Paul"),
    ("Lovely guide.\nCheers,\nPaul Hendricks\nI will try it this summer and report back.", None),
    ("Lovely guide.\nSee you,\nPaul Hendricks\nOrchard manager, Kent", None),  # no sign-off above
])
def test_a_signature_under_a_sign_off_may_have_an_affiliation_under_it(text: str, name: str | None) -> None:
    assert comment_facts(text).signature == name


def test_a_word_written_in_lower_case_is_not_a_name() -> None:
    assert used_in_lower_case("Brilliant", ["that was brilliant, thanks"])
    assert not used_in_lower_case("Pete", ["thanks, Pete"])


def test_reader_coming_back_under_the_answer_is_the_same_speaker() -> None:
    texts = facts("Do you seal the cuts?", "Thanks, Pete. I leave them open.", "Perfect, that answers it.")
    ids = identify(texts, [None, 0, 1], [False, True, False], "Nora")
    assert ids[2].group == ids[0].group and ids[2].name == "Pete"


def test_a_reader_named_otherwise_is_not_the_reader_coming_back() -> None:
    """The follow-up rule would join comment 2 to comment 0 (it answers the author's reply to 0),
    but the author thanks the two by different names: two people, each keeping their name."""
    texts = facts(
        "Do you seal the cuts?",
        "Thanks, Pete. I leave them open.",
        "Lovely guide, I will try it this spring.",
        "Thanks, Marta!",
    )
    ids = identify(texts, [None, 0, 1, 2], [False, True, False, True], "Nora")
    assert (ids[0].name, ids[2].name) == ("Pete", "Marta")
    assert ids[0].group != ids[2].group
    assert "not comment 0's reader coming back" in ids[2].decision.evidence[-1]


def test_signature_needs_a_name_not_a_generic_word() -> None:
    assert cues.signature_name("Thanks") is None
    assert cues.signature_name("-Joe") == "Joe"


def test_every_speaker_key_exists_and_post_author_is_present() -> None:
    thread = infer_structure(make_thread(ROSES))
    keys = {s.key for s in thread.speakers}
    assert "post-author" in keys
    assert all(c.speaker_key in keys for c in thread.comments)
    assert all(c.speaker_key == "post-author" for c in thread.comments if c.is_post_author)


def test_metadata_author_is_named_in_the_evidence_of_author_comments() -> None:
    thread = infer_structure(make_thread(ROSES, {"post_author": "Nora Lind"}))
    authored = [c for c in thread.comments if c.is_post_author]
    assert authored and all("metadata" in " ".join(c.speaker_decision.evidence) for c in authored)


def test_chain_marginals_are_probabilities_that_follow_the_emissions() -> None:
    from threadloom.chain import marginals_from

    singles, _, _ = marginals_from([3.0, -3.0, 3.0], [[0.0, 0.0], [0.0, 0.0]])
    assert singles[0] > 0.9 and singles[1] < 0.1 and singles[2] > 0.9


def test_chain_transitions_pull_a_doubtful_comment_to_alternate() -> None:
    from threadloom.chain import marginals_from

    # author -> author is unlikely, so a neutral comment after a sure author comment leans reader
    singles, _, _ = marginals_from([4.0, 0.0], [[0.0, 0.0], [0.0, -2.0]])
    assert singles[1] < 0.5


def test_thread_crf_reads_an_answer_to_a_reader_question_as_the_author() -> None:
    from threadloom.authorship import author_flags as crf_flags

    texts = facts(
        "Great tutorial, Nora! How do you keep the cuttings from drying out?",
        "Glad you liked it, Pete. You can cover them with a jar for a week.",
        "Thanks Nora, that worked!",
    )
    flags = [flag for flag, _ in crf_flags(texts, "Nora")]
    assert flags == [False, True, False]


def test_thread_crf_evidence_names_its_cues() -> None:
    from threadloom.authorship import author_flags as crf_flags

    _, decision = crf_flags(facts("Great post, Nora! Very helpful."), "Nora")[0]
    assert decision.evidence[0].startswith("reader-cues:") and "p=" in decision.evidence[0]


def test_a_common_opener_word_is_not_taken_for_a_reader_name() -> None:
    texts = facts("How long do the seeds keep?", "Update: about two years in a cool dry place.")
    identities = identify(texts, [None, 0], [False, True], "Nora")
    assert identities[0].name is None


@pytest.mark.parametrize("answer", ["Yup, it works with the old guide too.", "Nah, the glue holds for years.",
                                    "Whoa, that is a lot of cuts.", "Aha, that explains the gap."])
def test_an_interjection_opening_the_authors_answer_is_not_a_name(answer: str) -> None:
    """The vocative cue reads "Yup," as it reads "Pete,"; a name claim must not."""
    assert cues.mentions(answer)  # the cue fires: only the name check keeps it from naming
    question = "Does it work with the first guide?"
    identities = identify(facts(question, answer), [None, 0], [False, True], "Nora")
    assert identities[0].name is None


def test_thanking_a_reader_by_name_is_not_a_readers_thanks_for_the_post() -> None:
    """The author CRF's words "thanks"/"thank" stand for a reader thanking the author; a comment
    that thanks someone else by name ("Thanks, Jen.") does not carry them."""
    from threadloom.authorship import crf_features

    vocab = frozenset({"thanks", "thank", "great"})
    texts = ["Thanks, Jen. Great point about budgets.", "Thanks for the great post!",
             "Thanks, Amber. Great post."]
    feats = crf_features(facts(*texts), "Amber", vocab)
    assert not any(k[2:] in ("thanks", "thank") for k in feats[0])
    assert "o:thanks" in feats[1] and "u:thanks" in feats[1]
    assert "o:thanks" in feats[2]  # thanking the author is a reader's thanks


def test_opening_by_thanking_a_reader_by_name_is_a_rule_feature_of_the_author() -> None:
    """Only a comment whose first words thank someone other than the post author by name."""
    from threadloom.speakers import OPENS_THANKING_OTHER, own_features

    def has_rule(text: str) -> bool:
        return OPENS_THANKING_OTHER in own_features(comment_facts(text), "Nora")

    assert has_rule("Thanks, Pete. I leave them open.")
    assert not has_rule("Thanks, Nora. Great guide.")  # a reader thanking the author
    assert not has_rule("I tried it too (thanks, Pete) and it worked.")  # not the opening words
    assert not has_rule("Thanks for the guide!")


@pytest.mark.parametrize(("text", "expected"), [
    ("Thank you so much for the quick reply! I will try it tonight.", True),
    ("Many thanks for your help.", True),
    ("Appreciate it, thanks for the explanation.", True),
    ("Thanks for the great post!", False),  # the post, not an answer
    ("Thanks for the tip, I will add it to the guide.", False),  # what authors thank readers for
    ("I asked for help on the forum first.", False),  # no thanks
])
def test_thanking_for_an_answer_is_a_reader_back_under_it(text: str, expected: bool) -> None:
    assert comment_facts(text).thanks_for_answer is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("So glad you all enjoyed it!", True),
    ("You're welcome, Pete.", True),
    ("Hope this helps.", True),
    ("That's good to hear. Mine took a week.", True),
    ("Glad that the rain finally stopped before the harvest.", False),  # glad of the news, not of a reader
    ("Great post, I enjoyed it.", False),
])
def test_acknowledging_a_reader_is_a_rule_feature_of_the_author(text: str, expected: bool) -> None:
    from threadloom.speakers import ACKNOWLEDGES, own_features

    assert comment_facts(text).acknowledges is expected
    assert (ACKNOWLEDGES in own_features(comment_facts(text), "Nora")) is expected


def test_a_reader_thanking_for_the_answer_makes_the_comment_above_the_answer() -> None:
    """The thanks says who answered: the comment above is the author's, and the thanks replies to it."""
    from threadloom.authorship import author_flags as crf_flags
    from threadloom.replies import CommentView, infer_parents

    texts = facts("Does this work on a Pi 3?", "It does, but only with one or two players.",
                  "Many thanks for your help, I'll give it a go this weekend.")
    flags = [flag for flag, _ in crf_flags(texts, None)]
    assert flags == [False, True, False]
    parents = infer_parents([CommentView(f, a) for f, a in zip(texts, flags, strict=True)], None)
    assert [p for p, _ in parents] == [None, 0, 1]


def test_every_rule_feature_keeps_the_weight_its_dev_precision_gives_it() -> None:
    """The shipped weights are the smoothed log-odds of the rules on dev, not fitted values: each
    must say the author, strongly."""
    from threadloom.authorship import RULES
    from threadloom.learned import all_weights

    assert all(all_weights()["author_crf"][rule] >= 1.0 for rule in RULES)


def test_every_ceiling_rule_keeps_the_cap_its_dev_counts_give_it() -> None:
    """A comment addressing the author by name is a reader's: the shipped cap is the smoothed
    log-odds of that on dev, strongly against the author."""
    from threadloom.authorship import CEILING_PREFIX, CEILINGS
    from threadloom.learned import all_weights

    assert all(all_weights()["author_crf"][CEILING_PREFIX + rule] <= -3.0 for rule in CEILINGS)


CEILING_WEIGHTS = {"ceiling:addresses_author": -4.3, "acknowledges": 3.0}


@pytest.mark.parametrize(("emission", "feats", "expected"), [
    (2.0, {"addresses_author": 1.0}, -4.3),  # the author's other cues cannot lift it
    (-6.0, {"addresses_author": 1.0}, -6.0),  # a cap, not a floor
    (2.0, {"bias": 1.0}, 2.0),  # no rule: the emission as summed
    (-1.0, {"addresses_author": 1.0, "acknowledges": 1.0}, 3.0),  # a floor rule wins over the cap
])
def test_a_ceiling_rule_caps_the_emission_unless_a_floor_rule_holds(
        emission: float, feats: dict[str, float], expected: float) -> None:
    from threadloom.authorship import bounded

    assert bounded(emission, feats, CEILING_WEIGHTS) == expected


def test_a_comment_addressing_the_author_by_name_is_a_readers() -> None:
    """An answer-shaped comment under a question is the author's, but not when it addresses the
    author by name (none of the 73 dev comments that do is the author's: CEILINGS)."""
    question = "Mike, does this work on a Pi 3? I could not get the audio going."
    answer = "Yes it does: you need the firmware update from last month, then a reboot."
    assert author_flags(facts(question, answer), "Mike")[1][0] is True  # the author answering
    flags = author_flags(facts(question, "Mike, " + answer[0].lower() + answer[1:]), "Mike")
    assert flags[1][0] is False and "addresses_author" in flags[1][1].evidence[0]
