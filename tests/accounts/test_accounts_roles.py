"""Roles are groups created by migration; new accounts get Professionnel·le."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import ModelLogEntry

from accounts import roles, services
from accounts.models import Audience
from accounts.professions import Profession

pytestmark = pytest.mark.django_db


def test_the_five_roles_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Professionnel·le",
        "Formateur·rice",
        "Rédacteur·rice",
        "Relecteur·rice juridique",
        "Coordination",
    }
    assert len(roles.ALL_ROLES) == 5


def test_audiences_mirror_professions():
    assert list(Audience.objects.values_list("code", flat=True)) == list(Profession.values)


def test_assign_default_role_is_idempotent(django_user_model):
    user = django_user_model.objects.create_user(email="a@example.org", password="x" * 12)
    services.assign_default_role(user)
    services.assign_default_role(user)
    assert list(user.groups.values_list("name", flat=True)) == [roles.PROFESSIONNEL]
    assert ModelLogEntry.objects.filter(action="reperes.role_assign").count() == 1


def test_assign_default_role_without_groups(django_user_model):
    Group.objects.filter(name=roles.PROFESSIONNEL).delete()
    user = django_user_model.objects.create_user(email="a@example.org", password="x" * 12)
    with pytest.raises(services.AccountError) as excinfo:
        services.assign_default_role(user)
    assert excinfo.value.code == "missing_role"
