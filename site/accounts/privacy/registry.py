"""What each app holds about a person, and how to export and erase it.

The accounts app knows no app above it (docs/architecture.md). Each app that keeps
personal data registers, when it starts (`AppConfig.ready`), the sections of « Mes
données » it fills and its part in deleting an account, as Wagtail hooks do; then
`export.personal_data` and `erasure.delete_account` go through what is registered
here, in `order`. An app owns its personal data: adding a table of people's data
means adding it to that app's registration, nothing in accounts.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Where a section's fragment shows on the « Mes données » page.
IN_ACCOUNT = "account"  # inside « Mon compte »
OWN_SECTION = "page"  # a section of its own, after « Mon compte »


@dataclass(frozen=True)
class Section:
    """Part of « Mes données »: keys of the export and the fragment that shows them.

    `export` maps each key of the JSON export to a function of the user that returns
    plain data (dicts, lists, strings, numbers, dates), read in a constant number of
    queries. `template` renders them on the page, with `data` (the whole export) in
    its context.
    """

    name: str
    order: int
    export: dict[str, Callable[[Any], Any]]
    template: str
    place: str = OWN_SECTION


@dataclass(frozen=True)
class Erasure:
    """An app's part in deleting an account, inside the deletion's transaction.

    - `prepare(user, now)` runs first, while everything still exists (a seat to give
      back…), and returns counts for the log entry and the e-mail;
    - `files(user)` lists the stored files, as (storage, name), removed after commit;
    - `erase(user)` deletes the rows that the cascade from the user row cannot;
    - `notice`, a template shown on « Supprimer mon compte » before the person
      confirms, with `notice` in its context: what `preview(user, now)` returns
      (the seats that will be given back…). Notices come in `order` too.
    """

    name: str
    order: int
    prepare: Callable[[Any, Any], dict[str, int]] | None = None
    files: Callable[[Any], list[tuple[Any, str]]] | None = None
    erase: Callable[[Any], None] | None = None
    notice: str = ""
    preview: Callable[[Any, Any], dict[str, Any]] | None = None


@dataclass
class Registry:
    sections: dict[str, Section] = field(default_factory=dict)
    erasures: dict[str, Erasure] = field(default_factory=dict)


REGISTRY = Registry()


def register_section(section):
    """Declare a section; registering the same name again replaces it (idempotent)."""
    REGISTRY.sections[section.name] = section


def register_erasure(erasure):
    REGISTRY.erasures[erasure.name] = erasure


def sections():
    return sorted(REGISTRY.sections.values(), key=lambda section: (section.order, section.name))


def erasures():
    return sorted(REGISTRY.erasures.values(), key=lambda erasure: (erasure.order, erasure.name))
