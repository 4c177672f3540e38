"""People: a user logs in with an e-mail address and carries a small profile."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import communes
from .names import NameField
from .professions import Profession
from .sectors import Sector


def label_of(choices, value):
    """The translated label of `value` in the `choices` enumeration, else `value`.

    What Django's `get_FOO_display()` gives, without rebuilding the field's whole
    dict of choices on each call: guide cards and participant lists show dozens.
    """
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person using Repères; the e-mail address is the login."""

    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    # The name rule (accounts/names.py) holds wherever a name is saved through a
    # form or `full_clean`: signup, profile, Wagtail's user forms, createsuperuser.
    first_name = NameField(_("first name"), max_length=150, blank=True)
    last_name = NameField(_("last name"), max_length=150, blank=True)
    profession = models.CharField(
        _("profession"), max_length=32, choices=Profession.choices, blank=True
    )
    organisation = NameField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Établissement, service ou structure employeuse."),
    )
    # Sector and workplace feed the plan's figures (who the training reaches): optional,
    # fixed vocabularies so that they can be counted (accounts/sectors.py, communes.py).
    sector = models.CharField(
        _("secteur"), max_length=32, choices=Sector.choices, blank=True, db_index=True
    )
    #: INSEE code of one of the communes of Seine-Saint-Denis, or "" (accounts/communes.py).
    workplace_commune = models.CharField(
        _("commune d'exercice"),
        max_length=5,
        blank=True,
        db_index=True,
        validators=[communes.validate_commune],
    )
    #: "93" with a commune; the number given for « hors département » ("75", "2A"…); or "".
    workplace_departement = models.CharField(
        _("département d'exercice"),
        max_length=3,
        blank=True,
        validators=[communes.validate_departement],
    )
    #: When the person answered (or dismissed) the « Mon espace » profile prompt: asked once.
    profile_prompt_answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: When the « compte inactif » warning left (accounts/privacy/erasure.py); a login clears it.
    inactivity_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: One reminder e-mail when a started module is left for 21 days (courses/modules/dropouts.py);
    #: turned off in the profile or by the signed link of the e-mail (accounts/reminders.py).
    learning_reminders = models.BooleanField(
        _("Recevoir un rappel quand je n'ai pas terminé un module"), default=True
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rice·s")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        error = communes.workplace_errors(self.workplace_commune, self.workplace_departement)
        if error:
            raise ValidationError({"workplace_commune": error})

    @property
    def profession_label(self):
        """The profession's name, or "" (what `get_profession_display` gives, faster)."""
        return label_of(Profession, self.profession) if self.profession else ""

    @property
    def workplace_label(self):
        """« Bobigny », « Hors département (75) » or « Non renseignée »."""
        return communes.commune_label(self.workplace_commune, self.workplace_departement)

    @property
    def profile_prompt_due(self):
        """Whether « Mon espace » asks, once, for a missing sector or workplace."""
        if self.profile_prompt_answered_at is not None:
            return False
        return not self.sector or not self.workplace_departement


class Audience(models.Model):
    """A profession that content can be aimed at.

    The rows mirror `Profession` (seeded by migration 0003) so pages can hold a
    many-to-many relation that filters efficiently on every database.
    """

    code = models.CharField(max_length=32, unique=True, choices=Profession.choices)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("public")
        verbose_name_plural = _("publics")

    def __str__(self):
        return label_of(Profession, self.code)
