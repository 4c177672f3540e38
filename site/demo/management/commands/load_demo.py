"""Load Repères's example content. Idempotent: a second run keeps data and is fast."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from demo.accounts import ensure_demo_accounts
from demo.certificates import ensure_certificate_templates, ensure_demo_completion
from demo.contacts import ensure_contact_directory, ensure_contacts
from demo.courses import ensure_module_index, ensure_modules
from demo.guides import demo_staff, ensure_guide_index, ensure_guides, ensure_publishers
from demo.history import ensure_demo_history
from demo.orientation import ensure_orientation
from demo.pages import (
    ensure_directory_entry,
    ensure_home_content,
    ensure_standard_pages,
    home_page,
)
from demo.progress import ensure_demo_progress
from demo.quality import ensure_demo_quality
from demo.reach import ensure_guide_counts, ensure_publisher_members
from demo.sessions import ensure_demo_sessions
from demo.surveys import ensure_demo_surveys


class Command(BaseCommand):
    help = (
        "Charge le contenu d'exemple (guides, pages, éditeurs) et, si DEBUG est actif ou "
        "avec --force, les comptes de démonstration."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Créer les comptes de démo même si DEBUG est désactivé (jamais en production).",
        )

    def handle(self, *args, **options):
        # Replaying the demo through the services sends their e-mails (registration,
        # waiting list, « certificat prêt »…) to fictitious addresses: nobody should
        # receive them, and they would flood the console of `make run`. They go to
        # the in-memory outbox instead.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self.load(**options)

    @transaction.atomic
    def load(self, force=False, **options):
        with_accounts = settings.DEBUG or force
        if with_accounts:
            created = len(ensure_demo_accounts())
            self.stdout.write(
                ngettext(
                    "Comptes de démo : %(count)d créé.",
                    "Comptes de démo : %(count)d créés.",
                    created,
                )
                % {"count": created}
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    "DEBUG est désactivé : comptes de démo non créés (utilisez --force)."
                )
            )
        home = home_page()
        index = ensure_guide_index(home)
        editor, reviewer = demo_staff()
        published, in_review = ensure_guides(index, editor, reviewer)
        ensure_contacts()
        directory, directory_created = ensure_contact_directory(home)
        module_index, module_index_created = ensure_module_index(home)
        modules_created = ensure_modules(module_index, editor, reviewer)
        ensure_certificate_templates(ensure_publishers())
        ensure_standard_pages(home)
        ensure_home_content(home, index, module_index, module_index_created)
        ensure_directory_entry(home, directory, directory_created)
        # After the guides: its outcomes link to their sections.
        ensure_orientation(home)
        if with_accounts:
            ensure_demo_progress()
            ensure_publisher_members()
            ensure_guide_counts()
            # Before the sessions: the finished one is linked to the completed module,
            # so its certificate states the e-learning time as well.
            ensure_demo_completion()
            sessions_created = ensure_demo_sessions()
            # After the completions and the finished session: their questionnaires.
            ensure_demo_surveys()
            self.stdout.write(
                ngettext(
                    "Sessions de démo : %(count)d créée.",
                    "Sessions de démo : %(count)d créées.",
                    sessions_created,
                )
                % {"count": sessions_created}
            )
            learners = ensure_demo_history()
            self.stdout.write(
                ngettext(
                    "Historique de démo : %(count)d professionnel·le fictif·ve créé·e.",
                    "Historique de démo : %(count)d professionnel·le·s fictif·ve·s créé·e·s.",
                    learners,
                )
                % {"count": learners}
            )
            complaints_created = ensure_demo_quality()
            self.stdout.write(
                ngettext(
                    "Réclamations d'exemple : %(count)d créée.",
                    "Réclamations d'exemple : %(count)d créées.",
                    complaints_created,
                )
                % {"count": complaints_created}
            )
        self.stdout.write(self.style.SUCCESS(content_report(published, in_review, modules_created)))


def content_report(published, in_review, modules):
    """What this run created, in words: a guide sent to review is not on /guides/ yet."""
    if not (published or in_review or modules):
        return _("Contenu d'exemple déjà en place : rien à créer.")
    parts = [
        ngettext("%(count)d guide publié", "%(count)d guides publiés", published)
        % {"count": published},
        ngettext(
            "%(count)d guide en attente de relecture juridique (brouillon, pas encore sur /guides/)",
            "%(count)d guides en attente de relecture juridique (brouillons, pas encore sur /guides/)",
            in_review,
        )
        % {"count": in_review},
        ngettext("%(count)d module créé", "%(count)d modules créés", modules) % {"count": modules},
    ]
    return _("Contenu d'exemple prêt : %(parts)s.") % {"parts": ", ".join(parts)}
