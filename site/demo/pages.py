"""Demo site: home page content, standard pages and site settings."""

from wagtail.models import Site

from core.models import AccessibilityStatus, SiteSettings
from home.models import HomePage, StandardPage

EXAMPLE = "<p><i>Contenu d'exemple, à remplacer par le texte validé du département.</i></p>"

STANDARD_PAGES = [
    {
        "slug": "mentions-legales",
        "title": "Mentions légales",
        "intro": "Éditeur, hébergement et responsabilité de la plateforme Repères.",
        "body": EXAMPLE
        + "<h2>Éditeur</h2><p>Département (exemple) — direction de l'enfance et de la famille. "
        "Directeur·rice de la publication : le ou la président·e du conseil départemental.</p>"
        "<h2>Hébergement</h2><p>Hébergeur à préciser lors de la mise en production.</p>"
        "<h2>Contenus</h2><p>Les guides juridiques sont relus par un·e juriste avant "
        "publication. Ils ne remplacent pas les textes officiels publiés sur Légifrance.</p>",
        "setting": "legal_notice_page",
    },
    {
        "slug": "accessibilite",
        "title": "Déclaration d'accessibilité",
        "intro": "Le Département s'engage à rendre Repères accessible (RGAA 4.1).",
        "body": EXAMPLE
        + "<h2>État de conformité</h2><p>Repères est <b>partiellement conforme</b> au "
        "référentiel général d'amélioration de l'accessibilité (RGAA) : aucun audit complet "
        "n'a encore été réalisé ; les pages sont testées automatiquement à chaque "
        "modification.</p><h2>Retour d'information et contact</h2><p>Si vous n'arrivez pas "
        "à accéder à un contenu ou à un service, écrivez-nous pour être orienté·e vers une "
        "alternative accessible.</p><h2>Voies de recours</h2><p>Si vous constatez un défaut "
        "d'accessibilité qui vous empêche d'accéder à un contenu, et que vous n'obtenez pas "
        "de réponse satisfaisante, vous pouvez saisir le Défenseur des droits.</p>",
        "setting": "accessibility_page",
    },
    {
        "slug": "donnees-personnelles",
        "title": "Données personnelles",
        "intro": "Quelles données Repères traite, pourquoi, combien de temps, et vos droits.",
        "body": EXAMPLE
        + "<h2>Données traitées</h2><p>Compte (nom, prénom, adresse e-mail), profession, "
        "structure employeuse, secteur et commune d'exercice (facultatifs) ; suivi des modules en ligne (leçons "
        "consultées, temps passé, réponses aux quiz et résultats) ; sessions en présentiel "
        "(inscriptions, présences par demi-journée, signatures d'émargement) ; certificats "
        "délivrés. Les membres de l'équipe utilisent en plus une double authentification.</p>"
        "<h2>Finalité</h2><p>Former les professionnel·le·s du département et délivrer les "
        "attestations de formation ; dire au Département, en chiffres sans nom, quels "
        "métiers et quelles communes la formation atteint. Aucune donnée n'est cédée ni utilisée à des fins "
        "commerciales ; aucun traceur tiers n'est déposé.</p>"
        "<h2>Durées de conservation</h2><ul>"
        "<li><b>Votre compte</b> et tout ce qui s'y rattache sont conservés tant que vous "
        "l'utilisez.</li>"
        "<li><b>Comptes inactifs</b> : après 23 mois sans connexion, un e-mail vous prévient "
        "que le compte sera supprimé un mois plus tard. Il suffit de vous connecter pour le "
        "garder ; sinon il est supprimé au bout de 24 mois sans connexion.</li>"
        "<li><b>Certificats</b> : un certificat a pu être remis à un employeur. Même après la "
        "suppression de votre compte, il reste vérifiable en ligne (numéro, formation, dates, "
        "nom du ou de la titulaire) pendant 3 ans après sa délivrance. Passé ce délai, le nom "
        "en est retiré et le PDF supprimé : la vérification indique seulement « titulaire "
        "anonymisé·e ».</li>"
        "<li><b>Journal d'audit</b> : les actions sur un compte supprimé y sont désignées par "
        "un simple numéro, jamais par un nom.</li></ul>"
        "<h2>Consulter, télécharger, supprimer vos données</h2><p>Dans « Mon espace », la "
        "page « Mes données » montre tout ce que Repères conserve à votre sujet ; vous pouvez "
        "l'imprimer ou le télécharger (fichier JSON). Votre mot de passe vous est redemandé "
        "avant.</p><p>Depuis cette même page, vous pouvez supprimer votre compte. La "
        "suppression est immédiate et définitive : profil, progression, réponses aux quiz, "
        "inscriptions aux sessions avec présences et signatures. Vos inscriptions aux "
        "sessions à venir sont annulées et les places proposées aux personnes en liste "
        "d'attente. Un e-mail confirme la suppression. Seuls les certificats déjà délivrés "
        "restent, comme indiqué ci-dessus.</p>"
        "<h2>Vos droits</h2><p>Vous pouvez corriger votre profil à tout moment depuis votre "
        "espace, et exercer vos droits d'accès, de rectification, d'effacement, de "
        "limitation et d'opposition auprès du délégué à la protection des données du "
        "Département (dpo@departement.example). Si vous estimez que vos droits ne sont pas "
        "respectés, vous pouvez adresser une réclamation à la CNIL.</p>"
        "<h2>Contact</h2><p>Pour toute question sur la plateforme : "
        "reperes@departement.example.</p>",
        "setting": "privacy_page",
    },
]

HOME = {
    "intro": (
        "<p>Repères aide les professionnel·le·s qui rencontrent des jeunes — enseignant·e·s, "
        "infirmier·e·s scolaires, éducateur·rice·s, travailleur·euse·s sociaux, médecins, "
        "forces de l'ordre — à repérer la prostitution des mineur·e·s, connaître le droit "
        "et agir.</p>"
    ),
    "purpose": (
        "<p>La plateforme réunit les guides juridiques de l'Observatoire départemental des "
        "violences faites aux femmes, les modules de sensibilisation de l'Amicale du Nid et "
        "les sessions de formation en présentiel du plan départemental.</p>"
        "<p>Dans le programme départemental, 7 victimes mineures sur 10 avaient déjà subi "
        "des violences ; repérer tôt et transmettre vite protège.</p>"
    ),
}


def home_page():
    return HomePage.objects.get()


def module_index_entry(module_index):
    return {
        "type": "entry",
        "value": {
            "title": "Formations en ligne",
            "text": "Des modules à suivre à votre rythme, validés par un quiz.",
            "page": module_index.pk,
            "path": "",
            "link_label": "Voir les formations",
        },
    }


def directory_entry(directory):
    return {
        "type": "entry",
        "value": {
            "title": "Contacts utiles",
            "text": "Qui appeler, à qui transmettre, où orienter un·e jeune : numéros, adresses et horaires.",
            "page": directory.pk,
            "path": "",
            "link_label": "Voir les contacts",
        },
    }


def ensure_directory_entry(home, directory, created):
    """The home page's entry to the directory of contacts, added on the run that creates
    the directory (an editor may remove it: it is not added back)."""
    if not created or any(
        entry["value"].get("page") == directory.pk for entry in home.entries.raw_data
    ):
        return
    home.entries = [*home.entries.raw_data, directory_entry(directory)]
    home.save_revision().publish()


def ensure_home_content(home, guide_index, module_index=None, module_index_created=False):
    """Fill the home page once; an edited home page is left as the editors made it.

    The « Formations en ligne » entry is added once, on the run that creates the
    module index (demo databases loaded before the modules existed get it too).
    """
    if home.entries:
        if module_index is not None and module_index_created:
            home.entries = [*home.entries.raw_data, module_index_entry(module_index)]
            home.save_revision().publish()
        return
    home.intro = HOME["intro"]
    home.purpose = HOME["purpose"]
    home.entries = [
        {
            "type": "entry",
            "value": {
                "title": "Guides juridiques",
                "text": "Le droit, les signes, que faire et qui appeler : des fiches relues par un·e juriste.",
                "page": guide_index.pk,
                "path": "",
                "link_label": "Consulter les guides",
            },
        },
    ]
    if module_index is not None:
        home.entries = [*home.entries.raw_data, module_index_entry(module_index)]
    home.save_revision().publish()


def ensure_standard_pages(home):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    changed = False
    for spec in STANDARD_PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page is None:
            page = StandardPage(
                title=spec["title"], slug=spec["slug"], intro=spec["intro"], body=spec["body"]
            )
            home.add_child(instance=page)
            page.save_revision().publish()
        if getattr(settings, f"{spec['setting']}_id") is None:
            setattr(settings, spec["setting"], page)
            changed = True
    if changed:
        settings.accessibility_status = AccessibilityStatus.PARTIELLEMENT
        settings.contact_email = "reperes@departement.example"
        settings.save()
