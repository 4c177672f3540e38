"""The free-text « commune d'exercice » becomes the INSEE code of a commune of Seine-Saint-Denis.

Each distinct text is matched once (accounts.communes.match_commune: case, accents,
hyphens, « St »/« Saint », a trailing « (93) » do not matter); everyone who typed a
matching text gets that commune and the département "93", in one UPDATE per commune.
Texts that match nothing are left: their owners are asked on « Mon espace ». Running it
again changes nothing (only rows whose workplace is still blank are touched).

The matching lives in accounts.communes rather than here so that it is tested once and
uses the shipped list of communes (with the former ones, such as Pierrefitte-sur-Seine).
"""

from collections import defaultdict

from django.db import migrations

from accounts.communes import COMMUNES, DEPARTEMENT, match_commune


def texts_by_code(texts):
    """{INSEE code: [texts naming it]} for the texts that name a commune of the list."""
    matched = defaultdict(list)
    for text in texts:
        code = match_commune(text)
        if code:
            matched[code].append(text)
    return dict(matched)


def map_communes(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    blank = User.objects.filter(workplace_commune="", workplace_departement="")
    texts = blank.exclude(commune="").values_list("commune", flat=True).distinct()
    for code, names in texts_by_code(list(texts)).items():
        blank.filter(commune__in=names).update(
            workplace_commune=code, workplace_departement=DEPARTEMENT
        )


def restore_communes(apps, schema_editor):
    """Backwards: the commune's official name as the free text, where it was blank."""
    User = apps.get_model("accounts", "User")
    for code, name in COMMUNES.items():
        User.objects.filter(commune="", workplace_commune=code).update(commune=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_user_sector_workplace")]

    operations = [migrations.RunPython(map_communes, restore_communes)]
