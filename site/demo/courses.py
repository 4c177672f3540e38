"""Demo modules: the module index at /formations/ and two complete modules.

Example content, marked as such, written for professionals: sober, factual, no
sensational detail. Legal references link to Légifrance and state no penalty. The
only figures are those of the département's programme (see demo/content.py).
"""

import logging
import uuid

from accounts.models import Audience
from courses.models import LessonPage, ModuleIndexPage, ModulePage, QuizPage
from courses.setup import ensure_course_setup
from guides.models import GuidePage

from .content import (
    ALL_AUDIENCES,
    EXAMPLE_NOTICE,
    LEGIFRANCE_CASF,
    LEGIFRANCE_CODE_CIVIL,
    LEGIFRANCE_CODE_PENAL,
    LEGIFRANCE_CPP,
    LEGIFRANCE_LOI_2002_305,
)
from .guides import ensure_publishers

logger = logging.getLogger(__name__)


# --- Compact notation → StreamField raw data -----------------------------------------


def _block(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def text(html):
    return ("paragraph", html)


def key_points(*points, title="Points clés"):
    return ("key_points", {"title": title, "points": list(points)})


def vignette(title, html):
    return ("case_vignette", {"title": title, "text": html})


def remember(html):
    return ("remember", {"text": html})


def guide(slug, anchor="", label=""):
    return ("guide_link", {"slug": slug, "anchor": anchor, "label": label})


def _choices(choices):
    """ListBlock items with their own ids: a choice's id is what an answer records,
    so it must be stored (without it Wagtail makes a new one at every read)."""
    return [
        {"type": "item", "value": {"text": t, "correct": c, "feedback": f}, "id": str(uuid.uuid4())}
        for t, c, f in choices
    ]


def self_check(question, choices, explanation=""):
    return (
        "self_check",
        {
            "question": question,
            "choices": _choices(choices),
            "explanation": explanation,
        },
    )


def _lesson_body(spec_body, guides):
    body = []
    for block_type, value in spec_body:
        if block_type == "guide_link":
            page = guides.get(value["slug"])
            if page is None:  # the guide was removed by the editors: no dead link
                continue
            value = {"guide": page.pk, "anchor": value["anchor"], "label": value["label"]}
        body.append(_block(block_type, value))
    return body


def q_single(prompt, choices, explanation, kind="single_choice", **extra):
    value = {
        "prompt": prompt,
        "choices": _choices(choices),
        "explanation": explanation,
        "guide_link": {"guide": None, "anchor": "", "label": ""},
        **extra,
    }
    return (kind, value)


def q_multiple(prompt, choices, explanation):
    return q_single(prompt, choices, explanation, kind="multiple_choice")


def q_case(vignette_html, prompt, choices, explanation, multiple=False):
    return q_single(
        prompt,
        choices,
        explanation,
        kind="case_study",
        vignette=vignette_html,
        multiple_answers=multiple,
    )


def q_true_false(prompt, answer, feedback_true, feedback_false, explanation):
    value = {
        "prompt": prompt,
        "answer": answer,
        "feedback_true": feedback_true,
        "feedback_false": feedback_false,
        "explanation": explanation,
        "guide_link": {"guide": None, "anchor": "", "label": ""},
    }
    return ("true_false", value)


def _law(code, article, url, summary):
    return f'<p><a href="{url}">{code}, article {article}</a> : {summary}</p>'


# --- Module 1 -------------------------------------------------------------------------

# Self-positioning (indicator 11): rated 1–4 before the first lesson and at the end.
POSITIONING_REPERER = [
    "Je sais repérer les signes d'une situation de prostitution d'un·e mineur·e",
    "Je sais à qui transmettre une information préoccupante",
    "Je connais le cadre légal applicable",
    "Je sais comment accueillir la parole d'un·e jeune",
]
POSITIONING_CADRE_LEGAL = [
    "Je connais le cadre légal applicable",
    "Je sais ce que le secret professionnel me permet de partager",
    "Je sais à qui transmettre une information préoccupante",
]

MODULE_REPERER = {
    "slug": "prostitution-des-mineures-comprendre-reperer-agir",
    "positioning": POSITIONING_REPERER,
    "title": "Prostitution des mineur·e·s : comprendre, repérer, agir",
    "summary": (
        "Un module de sensibilisation pour tous les professionnel·le·s au contact "
        "d'enfants et d'adolescent·e·s : comprendre les mécanismes, repérer les signaux, "
        "engager le dialogue et transmettre au bon interlocuteur."
    ),
    "objectives": (
        "<ul><li>Comprendre pourquoi un·e mineur·e en situation de prostitution est "
        "toujours une victime</li><li>Repérer les signaux d'alerte et les croiser</li>"
        "<li>Adopter une posture d'écoute sans jugement</li><li>Savoir transmettre une "
        "information préoccupante ou un signalement, et orienter</li></ul>"
    ),
    "hours": 2,
    "minutes": 30,
    "publisher": "amicale",
    "audiences": ALL_AUDIENCES,
    "topics": ["repérage", "protection de l'enfance"],
    "pathway_mode": "free",
    "content_warning": (
        "Ce module aborde les violences sexuelles et l'exploitation de mineur·e·s. Les "
        "situations sont décrites sans détail inutile. Si ces sujets vous touchent "
        "personnellement, vous pouvez faire une pause à tout moment et en parler à une "
        "personne de confiance ou à la médecine du travail."
    ),
    "lessons": [
        {
            "slug": "comprendre",
            "title": "Comprendre : de quoi parle-t-on ?",
            "intro": "Les notions de base et la place de la victime.",
            "minutes": 30,
            "body": [
                text(EXAMPLE_NOTICE),
                text(
                    "<h2>Une victime, toujours</h2><p>La prostitution d'un·e mineur·e "
                    "désigne le fait qu'un·e mineur·e accepte ou subisse des actes sexuels "
                    "en échange d'une rémunération, d'un avantage ou d'une promesse : "
                    "argent, hébergement, cadeaux, produits, protection. Quel que soit son "
                    "discours, le ou la mineur·e est en danger et la loi le ou la "
                    "considère comme victime.</p>"
                    "<h2>Des mécanismes d'emprise</h2><p>L'entrée se fait souvent par une "
                    "relation présentée comme affective ou amicale, puis par un isolement "
                    "progressif, des dettes réelles ou supposées et une dépendance. Les "
                    "réseaux sociaux et les messageries servent souvent au recrutement et "
                    "à l'organisation.</p>"
                ),
                key_points(
                    "Un·e mineur·e en situation de prostitution est toujours une victime.",
                    "L'emprise explique que la victime ne se reconnaisse pas comme telle.",
                    "Le consentement apparent ne change rien à la protection due.",
                ),
                remember(
                    "<p>Dans le programme départemental, <b>7 victimes mineures sur 10</b> "
                    "avaient déjà subi des violences auparavant, et pour <b>8 sur 10</b> "
                    "d'entre elles, des violences physiques et/ou sexuelles.</p>"
                ),
                guide("ce-que-dit-la-loi", "", "Guide : ce que dit la loi"),
            ],
        },
        {
            "slug": "reperer-les-signaux",
            "title": "Repérer les signaux",
            "intro": "Des signaux faibles, à croiser et à partager.",
            "minutes": 35,
            "body": [
                text(
                    "<p>Aucun signe isolé ne prouve une situation de prostitution. C'est "
                    "l'accumulation et le changement par rapport à l'habitude qui doivent "
                    "alerter, et le partage entre professionnel·le·s qui permet d'y voir "
                    "clair.</p>"
                ),
                key_points(
                    "Absences répétées, fugues, retours tardifs inexpliqués",
                    "Argent, vêtements ou téléphone sans explication plausible",
                    "Nouvelles relations avec des personnes plus âgées",
                    "Fatigue, repli, changement brutal de comportement",
                    "Usage intensif et discret du téléphone ou de plusieurs comptes",
                    title="Signaux à observer",
                ),
                self_check(
                    "Une élève arrive avec un téléphone neuf. Que faut-il en conclure ?",
                    [
                        (
                            "Qu'elle est en situation de prostitution",
                            False,
                            "Non : un signe isolé ne prouve rien. Il s'agit de rester attentif.",
                        ),
                        (
                            "Rien à lui seul ; c'est un signe à croiser avec d'autres",
                            True,
                            "Oui : on observe, on croise et on en parle en équipe.",
                        ),
                    ],
                    "Les signaux se lisent ensemble et dans la durée.",
                ),
                guide("reperer-les-signes", "signes-a-observer", "Guide : repérer les signes"),
            ],
        },
        {
            "slug": "engager-le-dialogue",
            "title": "Engager le dialogue",
            "intro": "Une posture d'écoute qui ne met pas la personne en difficulté.",
            "minutes": 35,
            "body": [
                text(
                    "<p>L'objectif n'est pas d'obtenir des aveux mais d'ouvrir une porte. "
                    "On choisit un moment et un lieu calmes, on part de faits observés, on "
                    "pose des questions ouvertes, on ne juge pas et on ne promet pas le "
                    "secret : on explique ce qu'on va faire de ce qui est dit.</p>"
                ),
                vignette(
                    "Sami, 16 ans",
                    "<p>Sami manque souvent les cours du lundi. Il dit à l'éducatrice qu'il "
                    "« se débrouille » et qu'il « fait ce qu'il veut ». Il a de l'argent "
                    "dont il ne parle pas.</p>",
                ),
                self_check(
                    "Sami dit que c'est son choix. Quelle réponse est la plus adaptée ?",
                    [
                        (
                            "« Tu as raison, c'est ta vie. »",
                            False,
                            "Non : cela valide une situation de danger.",
                        ),
                        (
                            "« Je t'entends. Mon rôle est de veiller à ce que tu sois en sécurité. »",
                            True,
                            "Oui : on reconnaît sa parole sans renoncer à le protéger.",
                        ),
                        (
                            "« Tu te mets en danger, c'est inacceptable. »",
                            False,
                            "Non : la culpabilisation ferme le dialogue.",
                        ),
                    ],
                ),
                guide(
                    "quand-le-jeune-dit-que-c-est-son-choix",
                    "le-discours-du-choix",
                    "Guide : quand le ou la jeune dit que c'est son choix",
                ),
            ],
        },
        {
            "slug": "agir-transmettre-orienter",
            "title": "Agir : transmettre et orienter",
            "intro": "Information préoccupante, signalement et ressources du département.",
            "minutes": 40,
            "body": [
                text(
                    "<h2>Deux voies de transmission</h2><p>En cas de doute ou d'inquiétude, "
                    "une <b>information préoccupante</b> est transmise à la cellule de "
                    "recueil des informations préoccupantes (CRIP) du département. En cas "
                    "de danger grave ou immédiat, un <b>signalement</b> est adressé au "
                    "procureur de la République. Le 119 conseille les professionnel·le·s "
                    "comme le public.</p>"
                ),
                remember(
                    "<p>Transmettre n'est pas dénoncer : c'est permettre une évaluation et "
                    "une protection. On n'attend pas d'avoir des preuves.</p>"
                ),
                text(
                    "<h2>Ce que le programme départemental a mis en place</h2><ul>"
                    "<li>Les mesures d'AEMO spécialisées sont passées de 20 à 40.</li>"
                    "<li>6 places de placement spécialisé dans le département, et 4 hors du "
                    "département.</li><li>2 consultations de psychotraumatologie.</li></ul>"
                ),
                guide(
                    "que-faire-qui-appeler",
                    "deux-voies-de-transmission",
                    "Guide : que faire, qui appeler",
                ),
                guide(
                    "ressources-du-departement",
                    "ce-que-le-programme-a-mis-en-place",
                    "Guide : les ressources du département",
                ),
            ],
        },
    ],
    "quiz": [
        q_single(
            "Comment la loi considère-t-elle un·e mineur·e en situation de prostitution ?",
            [
                ("Comme une victime en danger", True, "Oui : il ou elle doit être protégé·e."),
                (
                    "Comme l'auteur d'une infraction",
                    False,
                    "Non : le ou la mineur·e n'est jamais mis·e en cause à ce titre.",
                ),
                ("Cela dépend de son âge", False, "Non : tout·e mineur·e est concerné·e."),
            ],
            "<p>Tout·e mineur·e qui se livre à la prostitution est réputé·e en danger et "
            "relève de la protection de l'enfance.</p>",
        ),
        q_true_false(
            "Si le ou la mineur·e dit être consentant·e, il n'y a pas lieu d'agir.",
            False,
            "Non : le consentement apparent ne change rien.",
            "Exact : le discours du choix ne lève pas le danger.",
            "<p>L'emprise explique souvent ce discours ; la protection reste due.</p>",
        ),
        q_multiple(
            "Parmi ces éléments, lesquels sont des signaux à croiser ?",
            [
                ("Absences répétées et retours tardifs", True, "Oui."),
                ("Argent ou cadeaux inexpliqués", True, "Oui."),
                ("Nouvelles relations avec des adultes plus âgés", True, "Oui."),
                ("Un intérêt pour le sport", False, "Non, sans lien en soi."),
            ],
            "<p>Aucun signe ne suffit seul : c'est leur accumulation qui alerte.</p>",
        ),
        q_single(
            "Qu'a-t-on observé dans le programme départemental chez les victimes mineures ?",
            [
                (
                    "7 sur 10 avaient déjà subi des violences",
                    True,
                    "Oui, et 8 sur 10 d'entre elles des violences physiques et/ou sexuelles.",
                ),
                ("Aucune n'avait subi de violence auparavant", False, "Non."),
                ("Les données ne disent rien des violences antérieures", False, "Non."),
            ],
            "<p>Les violences antérieures sont un facteur de vulnérabilité important.</p>",
        ),
        q_case(
            "<p>Une élève de 15 ans s'endort en cours, arrive avec des vêtements neufs et "
            "parle d'un « ami » majeur qui vient la chercher en voiture.</p>",
            "Quelle est la première chose à faire ?",
            [
                (
                    "Lui proposer un temps d'échange, sans jugement",
                    True,
                    "Oui : ouvrir le dialogue.",
                ),
                (
                    "Appeler l'« ami » pour lui demander des explications",
                    False,
                    "Non : cela peut la mettre en danger.",
                ),
                (
                    "Attendre d'avoir des preuves",
                    False,
                    "Non : on n'attend pas de preuves pour agir.",
                ),
            ],
            "<p>On écoute, puis on partage avec l'équipe et on transmet.</p>",
        ),
        q_case(
            "<p>Lors de l'échange, l'élève dit qu'elle « rend des services » contre de "
            "l'argent et qu'elle ne veut pas que ses parents le sachent.</p>",
            "Que faites-vous ?",
            [
                ("Je lui promets de garder le secret", False, "Non : on ne promet pas le secret."),
                (
                    "Je lui explique que je dois transmettre pour la protéger",
                    True,
                    "Oui : on dit ce qu'on va faire.",
                ),
                (
                    "Je transmets une information préoccupante ou un signalement selon le danger",
                    True,
                    "Oui.",
                ),
            ],
            "<p>Expliquer, puis transmettre à la CRIP, ou au procureur en cas de danger grave ou immédiat.</p>",
            multiple=True,
        ),
        q_single(
            "En cas de danger grave et immédiat, à qui adresse-t-on un signalement ?",
            [
                ("Au procureur de la République", True, "Oui."),
                (
                    "Au chef d'établissement seulement",
                    False,
                    "Non : il faut saisir l'autorité judiciaire.",
                ),
                ("À la famille", False, "Non."),
            ],
            "<p>Le signalement va au procureur ; l'information préoccupante à la CRIP.</p>",
        ),
        q_case(
            "<p>Un éducateur apprend qu'un garçon de 14 ans accueilli en foyer fugue "
            "régulièrement le week-end et revient avec de l'argent.</p>",
            "Quelles ressources du département peuvent être mobilisées ?",
            [
                (
                    "Une mesure d'AEMO spécialisée",
                    True,
                    "Oui : ces mesures sont passées de 20 à 40.",
                ),
                (
                    "Une consultation de psychotraumatologie",
                    True,
                    "Oui : 2 consultations existent.",
                ),
                ("Aucune, il faut attendre sa majorité", False, "Non."),
            ],
            "<p>Le programme a renforcé l'accompagnement : AEMO spécialisées, places de placement "
            "spécialisé, consultations de psychotraumatologie.</p>",
            multiple=True,
        ),
        q_true_false(
            "Il faut être certain·e de la situation avant de transmettre une information préoccupante.",
            False,
            "Non : le doute suffit.",
            "Exact : le doute suffit à transmettre.",
            "<p>L'évaluation revient à la CRIP ; le rôle du ou de la professionnel·le est de transmettre.</p>",
        ),
    ],
}

# --- Module 2 -------------------------------------------------------------------------

MODULE_CADRE_LEGAL = {
    "slug": "le-cadre-legal",
    "positioning": POSITIONING_CADRE_LEGAL,
    "title": "Le cadre légal : ce que chaque professionnel·le doit savoir",
    "summary": (
        "Les textes qui protègent les mineur·e·s en situation de prostitution, le secret "
        "professionnel et le partage d'informations, et les voies de transmission."
    ),
    "objectives": (
        "<ul><li>Connaître les principaux textes applicables</li><li>Savoir ce que "
        "permet le partage d'informations à caractère secret</li><li>Distinguer "
        "information préoccupante et signalement</li></ul>"
    ),
    "hours": 1,
    "minutes": 30,
    "publisher": "observatoire",
    "audiences": ALL_AUDIENCES,
    "topics": ["droit", "protection de l'enfance"],
    "pathway_mode": "sequential",
    "content_warning": "",
    "lessons": [
        {
            "slug": "le-mineur-est-une-victime",
            "title": "Le ou la mineur·e est une victime",
            "intro": "Les textes qui fondent la protection.",
            "minutes": 30,
            "body": [
                text(EXAMPLE_NOTICE),
                text(
                    _law(
                        "Loi n° 2002-305 du 4 mars 2002",
                        "13",
                        LEGIFRANCE_LOI_2002_305,
                        "tout·e mineur·e qui se livre à la prostitution, même "
                        "occasionnellement, est réputé·e en danger et relève de la "
                        "protection du juge des enfants.",
                    )
                    + _law(
                        "Code civil",
                        "375",
                        LEGIFRANCE_CODE_CIVIL,
                        "fonde les mesures d'assistance éducative lorsque la santé, la "
                        "sécurité ou la moralité d'un·e mineur·e sont en danger.",
                    )
                    + _law(
                        "Code pénal",
                        "225-12-1",
                        LEGIFRANCE_CODE_PENAL,
                        "réprime le recours à la prostitution d'un·e mineur·e.",
                    )
                ),
                remember(
                    "<p>Ce sont les adultes qui exploitent ou achètent qui commettent une infraction.</p>"
                ),
                guide(
                    "ce-que-dit-la-loi", "une-mineure-en-situation-de-prostitution-est-en-danger"
                ),
            ],
        },
        {
            "slug": "secret-professionnel",
            "title": "Secret professionnel et partage d'informations",
            "intro": "Ce que le secret permet, et ce qu'il n'empêche pas.",
            "minutes": 30,
            "body": [
                text(
                    "<p>Le secret professionnel ne fait pas obstacle à la protection de "
                    "l'enfant. Des professionnel·le·s soumis·es au secret peuvent partager "
                    "les informations strictement nécessaires à l'évaluation d'une "
                    "situation et à la mise en œuvre d'une protection, en en informant "
                    "les responsables légaux sauf si c'est contraire à l'intérêt de "
                    "l'enfant.</p>"
                    + _law(
                        "Code de l'action sociale et des familles",
                        "L226-2-2",
                        LEGIFRANCE_CASF,
                        "organise le partage d'informations à caractère secret en "
                        "protection de l'enfance.",
                    )
                    + _law(
                        "Code pénal",
                        "226-14",
                        LEGIFRANCE_CODE_PENAL,
                        "prévoit les cas où la révélation d'une information secrète est "
                        "permise, notamment pour protéger un·e mineur·e.",
                    )
                ),
                self_check(
                    "Le secret professionnel m'interdit-il de transmettre une information préoccupante ?",
                    [
                        ("Oui", False, "Non : la loi organise ce partage."),
                        ("Non", True, "Exact : le partage nécessaire à la protection est prévu."),
                    ],
                ),
            ],
        },
        {
            "slug": "transmettre",
            "title": "Transmettre : information préoccupante et signalement",
            "intro": "Deux voies, deux destinataires.",
            "minutes": 30,
            "body": [
                text(
                    _law(
                        "Code de l'action sociale et des familles",
                        "L226-2-1",
                        LEGIFRANCE_CASF,
                        "les informations préoccupantes sont transmises sans délai à la "
                        "cellule départementale (CRIP).",
                    )
                    + _law(
                        "Code de procédure pénale",
                        "40",
                        LEGIFRANCE_CPP,
                        "tout·e agent·e public·que qui acquiert la connaissance d'un crime "
                        "ou d'un délit en avise le procureur de la République.",
                    )
                ),
                key_points(
                    "Doute ou inquiétude : information préoccupante à la CRIP",
                    "Danger grave ou immédiat : signalement au procureur",
                    "Dans tous les cas, on peut appeler le 119 pour être conseillé·e",
                ),
                guide("que-faire-qui-appeler", "deux-voies-de-transmission"),
            ],
        },
    ],
    "quiz": [
        q_true_false(
            "Un·e mineur·e qui se livre à la prostitution est réputé·e en danger.",
            True,
            "Exact : c'est ce que prévoit la loi du 4 mars 2002.",
            "Non : la loi le ou la répute en danger.",
            "<p>Loi n° 2002-305, article 13.</p>",
        ),
        q_single(
            "Quel texte fonde les mesures d'assistance éducative ?",
            [
                ("L'article 375 du Code civil", True, "Oui."),
                (
                    "L'article 40 du Code de procédure pénale",
                    False,
                    "Non : il concerne l'avis au procureur.",
                ),
                ("Aucun texte", False, "Non."),
            ],
            "<p>Code civil, article 375.</p>",
        ),
        q_single(
            "Qui commet une infraction dans une situation de prostitution d'un·e mineur·e ?",
            [
                ("Les adultes qui l'exploitent ou y ont recours", True, "Oui."),
                ("Le ou la mineur·e", False, "Non : il ou elle est victime."),
                ("Personne", False, "Non."),
            ],
            "<p>Code pénal, notamment l'article 225-12-1.</p>",
        ),
        q_true_false(
            "Le secret professionnel interdit tout partage d'informations sur un·e mineur·e.",
            False,
            "Non : la loi organise le partage nécessaire à la protection.",
            "Exact : le partage strictement nécessaire est prévu.",
            "<p>CASF, article L226-2-2 ; Code pénal, article 226-14.</p>",
        ),
        q_multiple(
            "Où transmettre selon la situation ?",
            [
                ("Doute ou inquiétude : à la CRIP", True, "Oui."),
                ("Danger grave ou immédiat : au procureur", True, "Oui."),
                ("Dans tous les cas : uniquement à la famille", False, "Non."),
            ],
            "<p>Information préoccupante à la CRIP, signalement au procureur.</p>",
        ),
        q_case(
            "<p>Une infirmière scolaire recueille les confidences d'une élève qui décrit "
            "des rencontres tarifées organisées par un adulte.</p>",
            "Que prévoit le cadre légal ?",
            [
                ("Un signalement au procureur de la République", True, "Oui : danger grave."),
                (
                    "Garder le secret, car elle l'a demandé",
                    False,
                    "Non : le secret n'empêche pas de protéger.",
                ),
            ],
            "<p>Le danger est grave : signalement au procureur, en parallèle de l'information de la CRIP.</p>",
        ),
    ],
}

MODULES = [MODULE_REPERER, MODULE_CADRE_LEGAL]


# --- Loading --------------------------------------------------------------------------


def ensure_module_index(home):
    """The module index at /formations/ with its editorial set-up: (index, created)."""
    index = ModuleIndexPage.objects.child_of(home).first()
    created = index is None
    if created:
        index = ModuleIndexPage(
            title="Formations en ligne",
            slug="formations",
            intro=(
                "Des modules de sensibilisation à suivre à votre rythme, validés par un "
                "quiz. Contenus d'exemple relus avant publication."
            ),
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    ensure_course_setup(index)
    return index, created


def _publish(parent, page, editor, reviewer):
    parent.add_child(instance=page)
    page.save_revision(user=editor).publish(user=reviewer)
    return page


def _build_module(spec, index, publishers, audiences, guides, editor, reviewer):
    module = ModulePage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        objectives=spec["objectives"],
        duration_hours=spec["hours"],
        duration_minutes=spec["minutes"],
        publisher=publishers[spec["publisher"]],
        pathway_mode=spec["pathway_mode"],
        content_warning=spec["content_warning"],
        search_description=spec["summary"][:300],
        positioning=[("statement", text) for text in spec.get("positioning", ())],
    )
    module.audiences.set([audiences[code] for code in spec["audiences"]])
    module.topics.set(spec["topics"])
    _publish(index, module, editor, reviewer)
    for lesson in spec["lessons"]:
        page = LessonPage(
            title=lesson["title"],
            slug=lesson["slug"],
            intro=lesson["intro"],
            estimated_minutes=lesson["minutes"],
            body=_lesson_body(lesson["body"], guides),
        )
        _publish(module, page, editor, reviewer)
    quiz = QuizPage(
        title="Quiz final",
        slug="quiz",
        intro="Répondez à chaque question, puis validez.",
        questions=[_block(kind, value) for kind, value in spec["quiz"]],
    )
    _publish(module, quiz, editor, reviewer)
    return module


def _reloaded(user):
    return type(user).objects.get(pk=user.pk) if user is not None else None


def ensure_modules(index, editor, reviewer):
    """Create the demo modules that are missing; existing ones are left untouched."""
    # Fresh user objects: Wagtail caches page permissions on the instance, and these
    # users got theirs on the module index only just now.
    editor, reviewer = (_reloaded(user) for user in (editor, reviewer))
    publishers = ensure_publishers()
    audiences = {audience.code: audience for audience in Audience.objects.all()}
    guides = {page.slug: page for page in GuidePage.objects.live()}
    existing = set(ModulePage.objects.child_of(index).values_list("slug", flat=True))
    created = 0
    for spec in MODULES:
        if spec["slug"] not in existing:
            _build_module(spec, index, publishers, audiences, guides, editor, reviewer)
            created += 1
    logger.info("demo modules created: %d", created)
    return created
