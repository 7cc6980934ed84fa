"""A misspelt word of a question is read as the index word it slipped from (bot/spelling.py)."""

from __future__ import annotations

import pytest

from bot.engine import Bot
from bot.spelling import Speller

# A small index vocabulary: idf by column (lower is more common). "renewal" and "renewed" are
# both one edit from "renewel"; the more common one wins.
WORDS = {"renewal": 1.5, "renewed": 2.0, "itin": 1.0, "trouble": 2.0, "break": 2.5, "arregla": 2.0, "help": 1.2}
WORDS |= {"itin renewal": 3.0, "file_taxes": 1.1, "w2": 2.0, "numero": 2.0, "numeral": 2.0, "bake": 3.0}
COLUMNS = {word: column for column, word in enumerate(WORDS)}
IDF = list(WORDS.values())
STOP = frozenset({"my", "is", "the"})


def correct(text: str) -> list[str]:
    return Speller(COLUMNS, IDF).correct(text.split(), STOP)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("renwal", "renewal"),  # a letter dropped
        ("truoble", "trouble"),  # two letters swapped
        ("brake", "break"),
        ("troubble", "trouble"),  # a letter added
        ("renewel", "renewal"),  # a letter changed: "renewal" and "renewed" are both one edit away; the more common
    ],
)
def test_a_slip_of_one_letter_is_read_as_the_known_word(typed: str, read: str) -> None:
    assert correct(f"my {typed}") == ["my", read]


@pytest.mark.parametrize(
    "typed",
    [
        "itin",  # known
        "the",  # a stop word
        "hep",  # under four letters
        "w3",  # not only letters
        "arreglo",  # only the last letter differs: another form of a word ("I fix"), not a slip of "arregla"
        "hell",  # "help" differs in its last letter too
        "numer",  # "numero" would add a last letter
        "krouble",  # a different first letter
        "bakery",  # two edits from anything
    ],
)
def test_other_words_are_left_as_typed(typed: str) -> None:
    assert correct(typed) == [typed]


def test_only_words_are_offered_never_pairs_or_synonym_tokens() -> None:
    # "itin renewal" and "file_taxes" are index features but not words a person types.
    assert correct("itinrenewal file_taxs") == ["itinrenewal", "file_taxs"]


def test_ties_go_to_the_first_word_in_alphabetical_order() -> None:
    speller = Speller({"cart": 0, "card": 1}, [2.0, 2.0])
    assert speller.correct(["carx"], STOP) == ["carx"]  # both differ from it in the last letter only
    assert speller.correct(["cadr"], STOP) == ["card"]  # "card" by a swap; "cart" is two edits away
    speller = Speller({"cbat": 0, "caat": 1}, [2.0, 2.0])
    assert speller.correct(["caht"], STOP) == ["caat"]  # both one change away: alphabetical


def test_the_index_reads_the_correction_for_word_features_and_the_typed_word_for_the_rest(bot: Bot) -> None:
    features = bot.indexes["es"].features("la declaracoin del itin")
    assert "declaracion" in features.words and "declaracoin" not in features.words
    assert "declaracion itin" in features.words  # its pair with the next word too
    assert "coi" in features.chars and "cio" not in features.chars  # n-grams as typed


def test_questions_typed_with_slips_reach_their_topic(bot: Bot) -> None:
    # Both went elsewhere before the correction: the expired ITIN to "should I file", the renewal
    # to ITIN basics.
    assert bot.ask("mi itin ya esta vensido, puedo declarar este año").answer.id == "itin-renewal"
    assert bot.ask("renobacion de itin q se nesesita").answer.id == "itin-renewal"
