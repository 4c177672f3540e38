"""People's names: one rule wherever a name is typed.

A name is printed on attendance sheets and certificates and shown to trainers and
coordinators, so the same rule applies at signup, on the profile page, in Wagtail's
user forms and account page, in `createsuperuser` (all through the model field
`NameField`: `Model.full_clean` and `createsuperuser` call its `clean`), to the name
typed as a signature and to a certificate's signatory. Organisations
are printed beside the name and follow it too.

- NFC: « é » typed as e + U+0301 or as U+00E9 is one name (search, sort, PDF).
- Any Unicode space becomes one ordinary space; the ends are trimmed.
- Refused, never silently dropped (the person sees what is wrong and retypes it):
  control characters, every bidirectional control (U+061C, U+200E/F,
  U+202A–U+202E, U+2066–U+2069: `Thomas\u202egnp.exe` displays as
  « Thomasexe.png », the « Trojan source » trick), every zero-width or otherwise
  invisible character (U+200B–U+200D, U+2060, U+FEFF, the soft hyphen…). Unicode
  classes all of these as controls (Cc) or format characters (Cf); line and
  paragraph separators, private-use, surrogate and unassigned code points go with
  them, and so do the few invisible characters classed elsewhere (fillers, the
  grapheme joiner, variation selectors).
- At most two combining marks on one letter, and none on anything but a letter:
  a taller stack (« Zalgo » text) climbs onto the line above on the certificate.
  Marks are counted on the decomposed letter: Vietnamese « ệ » (e, dot below,
  circumflex) has two, the most a living language puts on one letter.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Categories refused outright: controls, format characters (bidi controls and
#: zero-width characters among them), separators of lines and paragraphs,
#: surrogates, private use, unassigned.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})

#: Invisible characters that Unicode classes as letters or marks.
INVISIBLE_CHARACTERS = frozenset(
    "\u034f"  # combining grapheme joiner
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u17b4\u17b5"  # Khmer inherent vowels
    "\u2800"  # braille blank
    + "".join(chr(code) for code in range(0xFE00, 0xFE10))  # variation selectors
    + "".join(chr(code) for code in range(0xE0100, 0xE01F0))
)

#: Combining marks drawn on top of (or around) the letter before them.
STACKING_CATEGORIES = frozenset({"Mn", "Me"})
MAX_MARKS_PER_LETTER = 2

MESSAGES = {
    "control_characters": _(
        "Ce champ contient un caractère invisible ou de contrôle (%(code_point)s) : "
        "retapez-le au clavier, sans copier-coller."
    ),
    "combining_marks": _(
        "Ce champ contient une lettre chargée de plus de deux accents ou signes, ou un "
        "signe qui ne porte sur aucune lettre : retapez-le au clavier."
    ),
}


def normalise_name(value):
    """`value` in NFC, every run of spaces as one ordinary space, trimmed.

    Only spaces (Zs) are folded: a line break or a tab is a control character, left
    in place for `validate_name` to refuse.
    """
    value = unicodedata.normalize("NFC", value)
    spaced = "".join(" " if unicodedata.category(char) == "Zs" else char for char in value)
    return " ".join(part for part in spaced.split(" ") if part)


def refused_character(value):
    """The first character of `value` that has no place in a name, or None."""
    for char in value:
        if unicodedata.category(char) in REFUSED_CATEGORIES or char in INVISIBLE_CHARACTERS:
            return char
    return None


def has_mark_stack(value):
    """True if a combining mark follows no letter, or a letter carries more than two."""
    marks = 0
    after_letter = False
    # Counted on the decomposed form: « ệ » is one character in NFC but two marks
    # drawn on the e, and a third mark on it makes three.
    for char in unicodedata.normalize("NFD", value):
        category = unicodedata.category(char)
        if category in STACKING_CATEGORIES:
            marks += 1
            if not after_letter or marks > MAX_MARKS_PER_LETTER:
                return True
        elif category == "Mc":
            marks = 0  # a spacing vowel sign (Indic scripts) belongs to its letter
        else:
            marks = 0
            after_letter = category.startswith("L")
    return False


def validate_name(value):
    """Raise a ValidationError (`control_characters`, `combining_marks`) or return None."""
    char = refused_character(value)
    if char is not None:
        raise ValidationError(
            MESSAGES["control_characters"],
            code="control_characters",
            params={"code_point": f"U+{ord(char):04X}"},
        )
    if has_mark_stack(value):
        raise ValidationError(MESSAGES["combining_marks"], code="combining_marks")


def clean_name(value):
    """`value` normalised, or a ValidationError: for code that is not a form."""
    value = normalise_name(value or "")
    validate_name(value)
    return value


class NameFormField(forms.CharField):
    """A one-line form field for a name (or an organisation)."""

    default_validators = [validate_name]

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_name(value) if isinstance(value, str) else value


class NameField(models.CharField):
    """A name column: `clean` normalises it and applies the rule, and so do its forms.

    `Model.full_clean` stores what `clean` returns, so a ModelForm of another app
    (Wagtail's user forms, its account page) saves the normalised name even though
    it declares its own plain `CharField`.
    """

    default_validators = [validate_name]

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_name(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NameFormField, **kwargs})
