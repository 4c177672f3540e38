"""French elision for generated text: « d'Inès », « l'Atelier », but « de Hamid »?

Before a word that starts with a vowel sound, « de », « le », « la », « que » lose
their vowel: « le certificat d'Inès Moreau », not « de Inès ». Generated text (a PDF's
subject, an image's description, an e-mail) builds these phrases from names and
titles, so it asks `elides` and picks the matching message, e.g.
`_("Signature d'%(name)s") if elides(name) else _("Signature de %(name)s")`: each
form stays a whole sentence for translators.

A vowel sound: a vowel, accented or not (« Élodie », « Œuvre »), a « y » before a
consonant (« Yves », not « Yasmine »), and a mute « h » (« Hugo », « Hélène »). An
aspirated « h » keeps « de » (« de Hollande », « le harcèlement »): the common words of
the platform's titles and a few names are listed; any other « h » counts as mute, as
it does for most first names.
"""

import unicodedata

VOWELS = frozenset("aeiou")
LIGATURES = frozenset("æœ")

#: Words (and their derivatives) that start with an aspirated « h » (« le haut »,
#: « de harcèlement »). Unaccented, lowercase prefixes.
ASPIRATED_H = (
    "hache",
    "haie",
    "haine",
    "hall",
    "halte",
    "hamac",
    "hameau",
    "hanche",
    "handicap",
    "hangar",
    "hant",
    "harcel",
    "hardi",
    "haricot",
    "harpe",
    "hasard",
    "hate",
    "hausse",
    "haut",
    "havre",
    "heros",
    "hetre",
    "heurt",
    "hibou",
    "hierarch",
    "hockey",
    "hollande",
    "homard",
    "hongr",
    "honte",
    "hoquet",
    "horde",
    "hors",
    "houle",
    "housse",
    "huit",
    "hurl",
    "hutte",
)


def _letters(text):
    """The first word of `text`, lowercase and without accents."""
    word = text.strip().split(" ", 1)[0] if text.strip() else ""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def elides(following):
    """True if « de », « le », « la », « que » elide before `following`."""
    word = _letters(following or "")
    if not word:
        return False
    first = word[0]
    if first in VOWELS or first in LIGATURES:
        return True
    if first == "y":
        # « Yves », « Ysaline »: a vowel; « Yasmine », « Yohan »: a consonant.
        return len(word) > 1 and word[1] not in VOWELS
    if first == "h":
        return not word.startswith(ASPIRATED_H)
    return False
