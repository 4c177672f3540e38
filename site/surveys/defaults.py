"""The platform's default questionnaires « à chaud » and « à froid ».

Plain data (no model import), read by the data migration that creates them and by
`ensure_platform_defaults` (the demo, tests that flushed the database). Question ids
are fixed so that answers to the defaults line up across databases.
"""

AGREE = {"low_label": "Pas du tout d’accord", "high_label": "Tout à fait d’accord"}
RECOMMEND = {"low_label": "Pas du tout probable", "high_label": "Très probable"}


def _question(block_type, id, label, required=True, **value):
    return {"type": block_type, "id": id, "value": {"label": label, "required": required, **value}}


HOT_QUESTIONS = [
    _question(
        "scale",
        "2f0c6a1e-0001-4c1a-9a10-000000000001",
        "Les objectifs annoncés de la formation ont été atteints.",
        is_satisfaction=False,
        **AGREE,
    ),
    _question(
        "scale",
        "2f0c6a1e-0001-4c1a-9a10-000000000002",
        "Ce que j’ai appris sera utile dans ma pratique professionnelle.",
        is_satisfaction=False,
        **AGREE,
    ),
    _question(
        "scale",
        "2f0c6a1e-0001-4c1a-9a10-000000000003",
        "Les contenus étaient clairs et bien organisés.",
        is_satisfaction=False,
        **AGREE,
    ),
    _question(
        "scale",
        "2f0c6a1e-0001-4c1a-9a10-000000000004",
        "Dans l’ensemble, je suis satisfait·e de cette formation.",
        is_satisfaction=True,
        **AGREE,
    ),
    _question(
        "recommend",
        "2f0c6a1e-0001-4c1a-9a10-000000000005",
        "Recommanderiez-vous cette formation à un·e collègue ?",
        **RECOMMEND,
    ),
    _question(
        "free_text",
        "2f0c6a1e-0001-4c1a-9a10-000000000006",
        "Vos suggestions pour améliorer cette formation",
        required=False,
    ),
]

COLD_QUESTIONS = [
    _question(
        "yes_no",
        "2f0c6a1e-0002-4c1a-9a10-000000000001",
        "Avez-vous utilisé ce que vous avez appris ?",
    ),
    _question(
        "choice",
        "2f0c6a1e-0002-4c1a-9a10-000000000002",
        "Qu’est-ce qui a changé dans votre pratique ?",
        required=False,
        multiple=True,
        choices=[
            "Je repère mieux les signaux d’alerte",
            "Je sais à qui transmettre une information préoccupante",
            "J’ose davantage aborder le sujet avec les jeunes",
            "J’ai partagé ce que j’ai appris avec mon équipe",
            "Rien n’a changé pour l’instant",
        ],
    ),
    _question(
        "scale",
        "2f0c6a1e-0002-4c1a-9a10-000000000003",
        "Avec le recul, cette formation m’a été utile dans mon travail.",
        is_satisfaction=False,
        **AGREE,
    ),
    _question(
        "scale",
        "2f0c6a1e-0002-4c1a-9a10-000000000004",
        "Avec le recul, je suis satisfait·e de cette formation.",
        is_satisfaction=True,
        **AGREE,
    ),
    _question(
        "recommend",
        "2f0c6a1e-0002-4c1a-9a10-000000000005",
        "Recommanderiez-vous cette formation à un·e collègue ?",
        **RECOMMEND,
    ),
    _question(
        "free_text",
        "2f0c6a1e-0002-4c1a-9a10-000000000006",
        "Ce qui vous manque encore, vos besoins de formation",
        required=False,
    ),
]

#: kind → (title, intro, questions)
PLATFORM_DEFAULTS = {
    "chaud": (
        "Questionnaire à chaud",
        "Quelques questions sur la formation que vous venez de suivre : deux minutes "
        "suffisent. Vos réponses restent anonymes dans les résultats.",
        HOT_QUESTIONS,
    ),
    "froid": (
        "Questionnaire à froid",
        "Quelques mois ont passé depuis votre formation : qu’en avez-vous fait ? "
        "Vos réponses restent anonymes dans les résultats.",
        COLD_QUESTIONS,
    ),
}
