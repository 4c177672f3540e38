"""Sector and workplace: the list of communes, the mapping of the old free text, the forms."""

import importlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts import communes
from accounts.communes import COMMUNES, commune_label, match_commune, normalise_departement
from accounts.forms import ProfileForm, ProfilePromptForm
from accounts.models import User
from accounts.sectors import Sector
from scripts import communes_93

MIGRATION = importlib.import_module("accounts.migrations.0007_map_commune_to_workplace")

# --- The list ------------------------------------------------------------------------------


def test_the_data_file_names_its_source_year_and_package():
    data = communes.data()
    assert data["year"] >= 2026
    assert data["package"] == "@etalab/decoupage-administratif"
    assert data["package_version"]
    assert "Code officiel géographique" in data["source"]
    assert data["departement"] == "93"


def test_the_communes_of_seine_saint_denis():
    # COG 2025 and later: 39 communes, Pierrefitte-sur-Seine having joined Saint-Denis
    # on 1 January 2025 (it was 40 before).
    assert len(COMMUNES) == len(communes.data()["communes"]) == 39
    assert all(code.startswith("93") and len(code) == 5 for code in COMMUNES)
    assert COMMUNES["93008"] == "Bobigny"
    assert COMMUNES["93066"] == "Saint-Denis"
    assert COMMUNES["93039"] == "L'Île-Saint-Denis"


def test_the_choices_are_in_french_alphabetical_order():
    names = [name for _code, name in communes.COMMUNE_CHOICES]
    assert names[0] == "Aubervilliers"
    # « Épinay-sur-Seine » among the E, not after « Villetaneuse ».
    assert names.index("Épinay-sur-Seine") < names.index("Gagny")
    assert names[-1] == "Villetaneuse"


def test_the_departements():
    for code in ["01", "09", "2A", "2B", "75", "93", "95", "971", "974", "976"]:
        assert code in communes.DEPARTEMENTS
    for code in ["00", "20", "96", "99", "975", "977", "987", "100"]:
        assert code not in communes.DEPARTEMENTS
    assert len(communes.DEPARTEMENTS) == 101


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("75", "75"), (" 2a ", "2A"), ("7", "07"), ("971", "971"), ("20", None), ("", None)],
)
def test_normalise_departement(typed, expected):
    assert normalise_departement(typed) == expected


def test_commune_label():
    assert commune_label("93008", "93") == "Bobigny"
    assert commune_label("", "75") == "Hors département (75)"
    assert commune_label("", "") == "Non renseignée"
    assert commune_label("", "93") == "Non renseignée"


def test_the_script_rebuilds_the_file_from_the_package(tmp_path):
    """scripts/communes_93.py, on a miniature of the npm package, gives the same shape."""
    package = tmp_path / "package"
    (package / "data").mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"version": "6.0.0"}))
    (package / "README.md").write_text("| 2026  | 6.0.0  | npm |\n")
    rows = [
        {"code": "93008", "nom": "Bobigny", "departement": "93", "type": "commune-actuelle"},
        {"code": "75056", "nom": "Paris", "departement": "75", "type": "commune-actuelle"},
        {
            "code": "93059",
            "nom": "Pierrefitte-sur-Seine",
            "departement": "93",
            "type": "commune-deleguee",
            "chefLieu": "93066",
        },
        {"code": "93001", "nom": "Aubervilliers", "departement": "93", "type": "commune-actuelle"},
    ]
    (package / "data" / "communes.json").write_text(json.dumps(rows))
    (package / "data" / "departements.json").write_text(
        json.dumps(
            [
                {"code": "75", "nom": "Paris", "zone": "metro"},
                {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "zone": "com"},
            ]
        )
    )
    output = tmp_path / "communes.json"
    communes_93.main(["--package", str(tmp_path), "--output", str(output)])
    data = json.loads(output.read_text())
    assert (data["year"], data["package_version"]) == (2026, "6.0.0")
    assert data["communes"] == [
        {"code": "93001", "name": "Aubervilliers"},
        {"code": "93008", "name": "Bobigny"},
    ]
    assert data["communes_deleguees"] == [
        {"code": "93059", "name": "Pierrefitte-sur-Seine", "commune": "93066"}
    ]
    assert data["departements"] == [{"code": "75", "name": "Paris"}]
    assert set(data) == set(communes.data())


# --- Recognising the old free text -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Saint-Denis", "93066"),
        ("saint denis", "93066"),
        ("St-Denis", "93066"),
        ("ST DENIS", "93066"),
        ("st. denis", "93066"),
        ("Saint-Denis (93)", "93066"),
        ("Saint Denis 93", "93066"),
        ("93200 Saint-Denis", "93066"),
        ("Saint-Denis (Seine-Saint-Denis)", "93066"),
        ("AUBERVILLIERS", "93001"),
        ("  aubervilliers  ", "93001"),
        ("Epinay sur Seine", "93031"),
        ("ÉPINAY-SUR-SEINE", "93031"),
        ("Épinay s/ Seine", "93031"),
        ("L'Île-Saint-Denis", "93039"),
        ("L’Ile St Denis", "93039"),
        ("Ile-Saint-Denis", "93039"),
        ("Le Blanc-Mesnil", "93007"),
        ("blanc mesnil", "93007"),
        ("le pré st gervais", "93061"),
        ("Les Pavillons sous Bois", "93057"),
        ("Noisy-le-Grand", "93051"),
        ("noisy le sec", "93053"),
        ("Saint-Ouen", "93070"),
        ("Saint-Ouen-sur-Seine", "93070"),
        ("Montreuil-sous-Bois", "93048"),
        # Merged into Saint-Denis on 1 January 2025.
        ("Pierrefitte-sur-Seine", "93066"),
        ("93008", "93008"),
    ],
)
def test_match_commune(typed, code):
    assert match_commune(typed) == code


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "Paris", "Villeneuve", "Saint", "Denis", "Noisy", "Créteil (94)", "75056", None],
)
def test_match_commune_leaves_the_rest(typed):
    assert match_commune(typed) == ""


def test_texts_by_code_groups_the_spellings():
    assert MIGRATION.texts_by_code(["St-Denis", "saint denis", "Bobigny", "Paris"]) == {
        "93066": ["St-Denis", "saint denis"],
        "93008": ["Bobigny"],
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_maps_the_rows():
    """The forward function on the model as migration 0007 sees it (with `commune`)."""
    executor = MigrationExecutor(connection)
    apps = executor.loader.project_state(("accounts", "0007_map_commune_to_workplace")).apps
    HistoricalUser = apps.get_model("accounts", "User")
    commune = HistoricalUser._meta.get_field("commune")
    # Nullable for the test only: SQLite then adds and drops the column in place. A NOT
    # NULL column makes it rebuild the table from the model as of 0007, which would drop
    # the columns that later migrations added (`learning_reminders`) for the tests after.
    commune.null = True
    with connection.schema_editor() as editor:
        editor.add_field(HistoricalUser, commune)
    try:
        rows = {
            "a@example.org": ("St-Denis", "", ""),
            "b@example.org": ("saint denis", "", ""),
            "c@example.org": ("AUBERVILLIERS", "", ""),
            "d@example.org": ("Paris", "", ""),
            "e@example.org": ("", "", ""),
            # Already answered: left as it is.
            "f@example.org": ("Bobigny", "", "75"),
        }
        for email, (text, code, departement) in rows.items():
            # Created by today's model (its later columns have no database default),
            # given the old free text by the model as 0007 sees it.
            User.objects.create(
                email=email, password="!", workplace_commune=code, workplace_departement=departement
            )
            HistoricalUser.objects.filter(email=email).update(commune=text)
        MIGRATION.map_communes(apps, None)
        MIGRATION.map_communes(apps, None)  # idempotent
        stored = dict(HistoricalUser.objects.values_list("email", "workplace_commune"))
        departements = dict(HistoricalUser.objects.values_list("email", "workplace_departement"))
        assert stored == {
            "a@example.org": "93066",
            "b@example.org": "93066",
            "c@example.org": "93001",
            "d@example.org": "",
            "e@example.org": "",
            "f@example.org": "",
        }
        assert departements == {
            "a@example.org": "93",
            "b@example.org": "93",
            "c@example.org": "93",
            "d@example.org": "",
            "e@example.org": "",
            "f@example.org": "75",
        }
        # Backwards: the official name where the text was blank.
        HistoricalUser.objects.filter(email="a@example.org").update(commune="")
        MIGRATION.restore_communes(apps, None)
        assert HistoricalUser.objects.get(email="a@example.org").commune == "Saint-Denis"
        assert HistoricalUser.objects.get(email="b@example.org").commune == "saint denis"
    finally:
        User.objects.filter(email__in=rows).delete()
        with connection.schema_editor() as editor:
            editor.remove_field(HistoricalUser, commune)


# --- The forms ---------------------------------------------------------------------------


def prompt_form(**data):
    return ProfilePromptForm({"sector": "", "workplace": "", **data})


@pytest.mark.parametrize(
    ("data", "stored"),
    [
        ({}, ("", "", "")),
        ({"sector": "sante", "workplace": "93008"}, ("sante", "93008", "93")),
        # The number is used only with « hors »: ignored beside a commune.
        ({"workplace": "93008", "workplace_departement_number": "75"}, ("", "93008", "93")),
        ({"workplace": "hors", "workplace_departement_number": "75"}, ("", "", "75")),
        ({"workplace": "hors", "workplace_departement_number": " 2b"}, ("", "", "2B")),
        ({"workplace": "hors", "workplace_departement_number": "971"}, ("", "", "971")),
        # A number without a choice means « hors ».
        ({"workplace_departement_number": "94"}, ("", "", "94")),
    ],
)
def test_the_workplace_fields_accept(data, stored):
    form = prompt_form(**data)
    assert form.is_valid(), form.errors
    values = form.profile_data()
    assert (values["sector"], values["workplace_commune"], values["workplace_departement"]) == (
        stored
    )


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"sector": "astronaute"}, "sector", "invalid_choice"),
        ({"sector": Sector.SANTE.label}, "sector", "invalid_choice"),
        ({"workplace": "75056"}, "workplace", "invalid_choice"),
        ({"workplace": "Bobigny"}, "workplace", "invalid_choice"),
        ({"workplace": "93059"}, "workplace", "invalid_choice"),  # no longer a commune
        ({"workplace": "9" * 5000}, "workplace", "invalid_choice"),
        ({"workplace": "hors"}, "workplace_departement_number", "departement_missing"),
        (
            {"workplace": "hors", "workplace_departement_number": "  "},
            "workplace_departement_number",
            "departement_missing",
        ),
        (
            {"workplace": "hors", "workplace_departement_number": "93"},
            "workplace_departement_number",
            "departement_93",
        ),
        (
            {"workplace": "hors", "workplace_departement_number": "20"},
            "workplace_departement_number",
            "unknown_departement",
        ),
        (
            {"workplace": "hors", "workplace_departement_number": "Paris"},
            "workplace_departement_number",
            "unknown_departement",
        ),
        (
            {"workplace_departement_number": "x" * 5000},
            "workplace_departement_number",
            "unknown_departement",
        ),
    ],
)
def test_the_workplace_fields_refuse(data, field, code):
    form = prompt_form(**data)
    assert not form.is_valid()
    assert form.has_error(field, code), form.errors.as_data()
    # Never the tampered value in the message.
    assert "9" * 50 not in str(form.errors) and "x" * 50 not in str(form.errors)


def test_the_messages_are_clear_french():
    form = prompt_form(workplace="hors", workplace_departement_number="93")
    form.is_valid()
    assert form.errors["workplace_departement_number"] == [
        "Le 93 est la Seine-Saint-Denis : choisissez plutôt votre commune dans la liste."
    ]
    form = prompt_form(workplace="75056")
    form.is_valid()
    assert form.errors["workplace"] == ["Choisissez une commune de la liste."]


def test_the_select_lists_the_communes_then_hors():
    choices = ProfilePromptForm().fields["workplace"].choices
    assert choices[0][0] == ""
    assert [code for code, _name in choices[1:-1]] == [c for c, _n in communes.COMMUNE_CHOICES]
    assert choices[-1] == ("hors", "Hors Seine-Saint-Denis")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "departement", "initial"),
    [("93008", "93", ("93008", "")), ("", "2A", ("hors", "2A")), ("", "", ("", ""))],
)
def test_the_profile_form_shows_what_is_stored(professional, code, departement, initial):
    professional.workplace_commune, professional.workplace_departement = code, departement
    form = ProfileForm(instance=professional)
    assert (
        form["workplace"].value(),
        form["workplace_departement_number"].value(),
    ) == initial


@pytest.mark.django_db
def test_the_model_refuses_an_inconsistent_pair(professional):
    from django.core.exceptions import ValidationError

    for code, departement in [("93008", ""), ("93008", "75"), ("", "93"), ("75056", "93")]:
        professional.workplace_commune, professional.workplace_departement = code, departement
        with pytest.raises(ValidationError):
            professional.full_clean()
    professional.workplace_commune, professional.workplace_departement = "", "2A"
    professional.full_clean()
    assert isinstance(User._meta.get_field("sector").max_length, int)


def test_the_demo_people_have_a_sector_and_a_workplace():
    from demo.accounts import DEMO_ACCOUNTS, DEMO_PARTICIPANTS

    people = [spec for spec in DEMO_ACCOUNTS + DEMO_PARTICIPANTS if not spec.get("superuser")]
    for spec in people:
        assert spec["sector"] in Sector.values, spec["email"]
        commune, departement = spec.get("workplace_commune", ""), spec["workplace_departement"]
        assert communes.workplace_errors(commune, departement) == "", spec["email"]
        assert commune in COMMUNES or departement in communes.DEPARTEMENTS
    # One of them works outside Seine-Saint-Denis, for the figures' « hors département ».
    assert any(spec["workplace_departement"] != "93" for spec in people)
