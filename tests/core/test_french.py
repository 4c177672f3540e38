"""French elision in generated text (core/french.py)."""

import pytest

from core.french import elides


@pytest.mark.parametrize(
    "following",
    [
        "Inès Moreau",
        "Élodie",
        "Œuvre",
        "Amicale du Nid",
        "Hugo",
        "Hélène",
        "Yves",
        "ursula",
        " Anne",
    ],
)
def test_de_elides_before_a_vowel_sound(following):
    assert elides(following)


@pytest.mark.parametrize(
    "following",
    [
        "Camille",
        "Martin",
        "Yasmine",
        "Harcèlement de rue",
        "Hollande",
        "Haut-Rhin",
        "",
        "« Accueil »",
        "1er module",
    ],
)
def test_de_stays_before_a_consonant_or_an_aspirated_h(following):
    assert not elides(following)
