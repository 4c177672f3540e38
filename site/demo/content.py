"""Demo content of Repères: example guides written for professionals.

Everything here is example content (each page says so). Legal references point to
Légifrance; no penalty is stated. The only figures used are those of the
département's programme.
"""

from accounts.professions import Profession

LEGIFRANCE_CODE_PENAL = "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006070719/"
LEGIFRANCE_CASF = "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006074069/"
LEGIFRANCE_CODE_CIVIL = "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006070721/"
LEGIFRANCE_CPP = "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006071154/"
LEGIFRANCE_LOI_2002_305 = "https://www.legifrance.gouv.fr/loda/id/LEGITEXT000005632381/"

EXAMPLE_NOTICE = (
    "<p><b>Contenu d'exemple.</b> Ce texte illustre la plateforme ; il ne remplace ni les "
    "textes officiels ni les protocoles du département. Vérifiez toujours la version en "
    "vigueur sur Légifrance.</p>"
)

PUBLISHERS = [
    {
        "key": "observatoire",
        "name": "Observatoire départemental des violences faites aux femmes",
        "short_name": "Observatoire",
        "description": "Observe, forme et outille les professionnel·le·s du département.",
    },
    {
        "key": "amicale",
        "name": "Amicale du Nid",
        "short_name": "Amicale du Nid",
        "description": (
            "Association qui accompagne les personnes en situation ou en risque de "
            "prostitution et forme les professionnel·le·s."
        ),
    },
    {
        "key": "departement",
        "name": "Département — service de l'aide sociale à l'enfance",
        "short_name": "Département",
        "description": "Protection de l'enfance : CRIP, aide sociale à l'enfance, AEMO.",
    },
]

ALL_AUDIENCES = list(Profession.values)

GUIDES = [
    {
        "slug": "ce-que-dit-la-loi",
        "title": "Ce que dit la loi sur la prostitution des mineur·e·s",
        "summary": (
            "La prostitution d'un·e mineur·e est interdite et le ou la mineur·e est réputé·e "
            "en danger : il ou elle est une victime, jamais une personne mise en cause. "
            "Les principaux textes, expliqués pour les professionnel·le·s."
        ),
        "publisher": "observatoire",
        "audiences": ALL_AUDIENCES,
        "topics": ["droit", "protection de l'enfance"],
        "review_days_ago": 40,
        "next_review_in_days": 320,
        "body": [
            ("rich_text", EXAMPLE_NOTICE),
            ("heading", {"text": "Un·e mineur·e en situation de prostitution est en danger"}),
            (
                "rich_text",
                "<p>En France, la prostitution des mineur·e·s est interdite sur tout le "
                "territoire. La loi considère tout·e mineur·e qui se livre à la prostitution, "
                "même occasionnellement, comme <b>en danger</b> : il ou elle relève de la "
                "protection du juge des enfants au titre de l'assistance éducative.</p>"
                "<p>Le consentement apparent du ou de la mineur·e ne change rien à cette "
                "qualification : ce sont les adultes qui l'exploitent ou qui achètent un acte "
                "sexuel qui commettent une infraction.</p>",
            ),
            (
                "legal_reference",
                {
                    "code": "Loi n° 2002-305 du 4 mars 2002 relative à l'autorité parentale",
                    "article": "13",
                    "summary": (
                        "Interdit la prostitution des mineur·e·s et dispose que tout·e mineur·e "
                        "qui s'y livre, même occasionnellement, est réputé·e en danger et "
                        "relève de la protection du juge des enfants."
                    ),
                    "url": LEGIFRANCE_LOI_2002_305,
                },
            ),
            (
                "legal_reference",
                {
                    "code": "Code civil",
                    "article": "375",
                    "summary": (
                        "Fonde les mesures d'assistance éducative lorsque la santé, la sécurité "
                        "ou la moralité d'un·e mineur·e sont en danger."
                    ),
                    "url": LEGIFRANCE_CODE_CIVIL,
                },
            ),
            (
                "heading",
                {"text": "Les adultes qui exploitent ou achètent commettent une infraction"},
            ),
            (
                "legal_reference",
                {
                    "code": "Code pénal",
                    "article": "225-12-1",
                    "summary": (
                        "Réprime le fait de solliciter, d'accepter ou d'obtenir des relations "
                        "de nature sexuelle d'un·e mineur·e en échange d'une rémunération, "
                        "d'une promesse de rémunération, d'un avantage en nature ou de la "
                        "promesse d'un tel avantage."
                    ),
                    "url": LEGIFRANCE_CODE_PENAL,
                },
            ),
            (
                "legal_reference",
                {
                    "code": "Code pénal",
                    "article": "225-5 et suivants",
                    "summary": (
                        "Définissent le proxénétisme (aider, assister, protéger la prostitution "
                        "d'autrui, en tirer profit, embaucher ou entraîner une personne). La "
                        "minorité de la victime est une circonstance aggravante (article 225-7)."
                    ),
                    "url": LEGIFRANCE_CODE_PENAL,
                },
            ),
            (
                "legal_reference",
                {
                    "code": "Code pénal",
                    "article": "225-4-1 et suivants",
                    "summary": "Définissent la traite des êtres humains, y compris des mineur·e·s.",
                    "url": LEGIFRANCE_CODE_PENAL,
                },
            ),
            (
                "warning",
                {
                    "title": "Ne pas qualifier à la place du ou de la juge",
                    "text": (
                        "<p>Le rôle des professionnel·le·s est de repérer, de protéger et de "
                        "transmettre, pas d'enquêter ni de qualifier les faits. Les enquêtes "
                        "relèvent des services de police et de gendarmerie, sous l'autorité "
                        "du parquet.</p>"
                    ),
                },
            ),
            (
                "faq",
                {
                    "items": [
                        {
                            "question": "Un·e mineur·e en situation de prostitution peut-il ou elle être poursuivi·e ?",
                            "answer": (
                                "<p>Non au titre de la prostitution : la loi le ou la considère "
                                "comme en danger et victime. Il ou elle relève de la protection "
                                "de l'enfance.</p>"
                            ),
                        },
                        {
                            "question": "La loi s'applique-t-elle s'il n'y a pas d'argent échangé ?",
                            "answer": (
                                "<p>Oui : un hébergement, des cadeaux, des vêtements, des "
                                "substances ou la promesse de tels avantages suffisent. Les "
                                "textes visent la rémunération comme l'avantage en nature.</p>"
                            ),
                        },
                    ]
                },
            ),
        ],
    },
    {
        "slug": "reperer-les-signes",
        "title": "Repérer les signes d'une situation prostitutionnelle",
        "summary": (
            "Aucun signe ne suffit seul ; c'est leur accumulation et leur évolution qui doivent "
            "alerter. Une grille d'observation pour en parler en équipe."
        ),
        "publisher": "amicale",
        "audiences": [
            "enseignant",
            "cpe",
            "infirmier-scolaire",
            "educateur",
            "assistant-social",
            "medecin",
        ],
        "topics": ["repérage", "protection de l'enfance"],
        "review_days_ago": 300,
        "next_review_in_days": 20,
        "body": [
            ("rich_text", EXAMPLE_NOTICE),
            ("heading", {"text": "Pourquoi c'est difficile à voir"}),
            (
                "rich_text",
                "<p>Les jeunes concerné·e·s se reconnaissent rarement comme victimes. Ils et "
                "elles peuvent parler d'« escort », de « michetonnage » ou d'un petit ami qui les "
                "aide. Dans le programme départemental, <b>7 victimes mineures sur 10</b> avaient "
                "déjà subi des violences auparavant, et parmi elles <b>8 sur 10</b> des violences "
                "physiques et/ou sexuelles : le parcours de l'enfant compte autant que les faits "
                "du moment.</p>",
            ),
            ("heading", {"text": "Signes à observer"}),
            (
                "rich_text",
                "<ul>"
                "<li>Absences répétées, fugues, retours tardifs ou nuits hors du domicile ou du lieu d'accueil.</li>"
                "<li>Argent, vêtements, téléphone ou cadeaux dont l'origine n'est pas expliquée.</li>"
                "<li>Nouvelle relation avec une personne plus âgée, nouvelles fréquentations, isolement des ami·e·s.</li>"
                "<li>Usage intensif des réseaux sociaux, plusieurs téléphones ou comptes, peur de perdre son téléphone.</li>"
                "<li>Fatigue, consommation de substances, infections ou grossesses, blessures inexpliquées.</li>"
                "<li>Changement brutal de comportement : repli, agressivité, hypervigilance, discours dévalorisant sur soi.</li>"
                "</ul>",
            ),
            (
                "warning",
                {
                    "title": "Un faisceau d'indices, pas une liste à cocher",
                    "text": (
                        "<p>Chacun de ces signes peut avoir d'autres causes. Notez les faits "
                        "observés (dates, propos rapportés entre guillemets), sans "
                        "interprétation, et parlez-en rapidement à votre hiérarchie ou au ou à "
                        "la référent·e protection de l'enfance.</p>"
                    ),
                },
            ),
            ("heading", {"text": "Engager le dialogue"}),
            (
                "steps",
                {
                    "steps": [
                        "Choisir un moment et un lieu calmes, sans témoin, sans urgence apparente.",
                        "Dire ce que vous avez observé, sans jugement : « J'ai remarqué que… ».",
                        "Écouter sans interroger sur les détails : ce n'est pas une audition.",
                        "Dire que vous ne pouvez pas garder le secret si l'enfant est en danger, et expliquer ce qui va se passer.",
                        "Noter les propos exacts après l'entretien et transmettre selon le protocole.",
                    ]
                },
            ),
        ],
    },
    {
        "slug": "que-faire-qui-appeler",
        "title": "Que faire et qui appeler ?",
        "summary": (
            "Information préoccupante à la CRIP, signalement au procureur de la République, "
            "119 : quelle voie selon la situation, et comment transmettre."
        ),
        "publisher": "departement",
        "audiences": ALL_AUDIENCES,
        "topics": ["signalement", "protection de l'enfance", "droit"],
        "review_days_ago": 400,
        "next_review_in_days": -10,
        "body": [
            ("rich_text", EXAMPLE_NOTICE),
            ("heading", {"text": "Deux voies de transmission"}),
            (
                "rich_text",
                "<p>L'<b>information préoccupante</b> (IP) est adressée à la cellule "
                "départementale de recueil des informations préoccupantes (CRIP) lorsqu'un·e "
                "mineur·e est en danger ou en risque de l'être. Le <b>signalement</b> est "
                "adressé directement au procureur de la République lorsque la situation est "
                "grave ou urgente, notamment lorsqu'une infraction est suspectée.</p>",
            ),
            (
                "legal_reference",
                {
                    "code": "Code de l'action sociale et des familles",
                    "article": "L. 226-2-1 et L. 226-3",
                    "summary": (
                        "Organisent la transmission des informations préoccupantes au président "
                        "du conseil départemental et le rôle de la cellule de recueil (CRIP)."
                    ),
                    "url": LEGIFRANCE_CASF,
                },
            ),
            (
                "legal_reference",
                {
                    "code": "Code de l'action sociale et des familles",
                    "article": "L. 226-4",
                    "summary": "Précise quand le président du conseil départemental avise le procureur de la République.",
                    "url": LEGIFRANCE_CASF,
                },
            ),
            (
                "legal_reference",
                {
                    "code": "Code de procédure pénale",
                    "article": "40",
                    "summary": (
                        "Les autorités, fonctionnaires et agent·e·s publics qui acquièrent la "
                        "connaissance d'un crime ou d'un délit dans l'exercice de leurs "
                        "fonctions en avisent sans délai le procureur de la République."
                    ),
                    "url": LEGIFRANCE_CPP,
                },
            ),
            (
                "legal_reference",
                {
                    "code": "Code pénal",
                    "article": "226-14",
                    "summary": (
                        "Permet aux professionnel·le·s soumis·es au secret de porter à la "
                        "connaissance des autorités les privations ou sévices infligés à un·e "
                        "mineur·e, sans que le secret professionnel leur soit opposable."
                    ),
                    "url": LEGIFRANCE_CODE_PENAL,
                },
            ),
            ("heading", {"text": "Que faire ?"}),
            (
                "steps",
                {
                    "steps": [
                        "En cas de danger immédiat : appeler le 17 (police, gendarmerie) ou le 112.",
                        "Informer votre hiérarchie et la ou le référent·e de votre structure, sans retarder la protection.",
                        "Rédiger l'information préoccupante ou le signalement : faits datés, propos rapportés entre guillemets, sans interprétation.",
                        "Transmettre à la CRIP (information préoccupante) ou au parquet (signalement), en copie à la CRIP.",
                        "Informer les parents, sauf si c'est contraire à l'intérêt de l'enfant.",
                        "Rester disponible pour le ou la jeune : la transmission ne met pas fin à votre rôle.",
                    ]
                },
            ),
            (
                # Contacts of the directory (demo/contacts.py), by name.
                "directory_contacts",
                {
                    "heading": "Qui appeler ?",
                    "contacts": [
                        "119 — Allô enfance en danger",
                        "Cellule de recueil des informations préoccupantes (CRIP)",
                        "Parquet des mineurs — tribunal judiciaire de Bobigny",
                    ],
                },
            ),
        ],
    },
    {
        "slug": "ressources-du-departement",
        "title": "Les ressources du département",
        "summary": (
            "Mesures d'AEMO spécialisées, places d'accueil spécialisées, consultations de "
            "psychotraumatologie : ce que le programme départemental met à disposition."
        ),
        "publisher": "departement",
        "audiences": ["assistant-social", "educateur", "psychologue", "magistrat", "associatif"],
        "topics": ["ressources", "protection de l'enfance"],
        "review_days_ago": 20,
        "next_review_in_days": 340,
        "body": [
            ("rich_text", EXAMPLE_NOTICE),
            ("heading", {"text": "Ce que le programme a mis en place"}),
            (
                "rich_text",
                "<ul>"
                "<li>Les mesures d'<b>AEMO spécialisées</b> (action éducative en milieu ouvert) sont passées de <b>20 à 40</b>.</li>"
                "<li><b>6 places d'accueil spécialisées</b> dans le département, et <b>4</b> hors du département, pour éloigner un·e jeune d'un réseau lorsque c'est nécessaire.</li>"
                "<li><b>2 consultations de psychotraumatologie</b> reçoivent les jeunes orienté·e·s par les équipes.</li>"
                "</ul>",
            ),
            ("heading", {"text": "Comment orienter"}),
            (
                "steps",
                {
                    "steps": [
                        "Les mesures d'AEMO et les placements sont décidés par le ou la juge des enfants ou proposés par l'aide sociale à l'enfance.",
                        "Les consultations de psychotraumatologie reçoivent sur orientation d'un·e professionnel·le ; parlez-en à la CRIP ou au service de l'ASE qui suit le ou la jeune.",
                        "L'association spécialisée peut être sollicitée pour un appui à l'équipe et pour aller vers le ou la jeune.",
                    ]
                },
            ),
            (
                "contacts",
                {
                    "contacts": [
                        {
                            "name": "Amicale du Nid — antenne départementale (exemple)",
                            "role": "Accompagnement des jeunes et appui aux équipes",
                            "phone": "01 00 00 00 02",
                            "hours": "Du lundi au vendredi, 9 h 30 – 18 h",
                            "url": "",
                        },
                    ]
                },
            ),
        ],
    },
    {
        "slug": "quand-le-jeune-dit-que-c-est-son-choix",
        "title": "Accompagner un·e mineur·e qui dit que c'est son choix",
        "summary": (
            "« Je fais ce que je veux », « personne ne me force » : comment maintenir le lien "
            "et la protection quand le ou la jeune ne se reconnaît pas comme victime."
        ),
        "publisher": "amicale",
        "audiences": ["educateur", "assistant-social", "psychologue", "infirmier-scolaire", "cpe"],
        "topics": ["accompagnement", "repérage"],
        "review_days_ago": 100,
        "next_review_in_days": 265,
        "body": [
            ("rich_text", EXAMPLE_NOTICE),
            ("heading", {"text": "Le discours du choix"}),
            (
                "rich_text",
                "<p>Beaucoup de jeunes présentent la situation comme un choix, un moyen "
                "d'autonomie ou une relation amoureuse. Ce discours protège souvent d'un "
                "sentiment de honte et reflète l'emprise. Il ne modifie ni le danger, ni le "
                "cadre légal : un·e mineur·e en situation de prostitution est protégé·e par la "
                "loi.</p>",
            ),
            ("heading", {"text": "Postures qui aident"}),
            (
                "steps",
                {
                    "steps": [
                        "Ne pas chercher à convaincre dans l'immédiat : maintenir le lien est la priorité.",
                        "Parler de santé, de sécurité et de droits plutôt que de morale.",
                        "Nommer la loi simplement : les adultes qui paient ou organisent commettent une infraction.",
                        "Proposer des relais concrets (santé, hébergement, association spécialisée) et rester joignable.",
                        "Continuer à transmettre aux autorités compétentes : protéger n'est pas trahir.",
                    ]
                },
            ),
            (
                "faq",
                {
                    "items": [
                        {
                            "question": "Dois-je respecter le refus d'aide du ou de la jeune ?",
                            "answer": (
                                "<p>Vous pouvez respecter son rythme dans l'accompagnement, "
                                "mais pas renoncer à la protection : la transmission aux "
                                "autorités ne dépend pas de son accord.</p>"
                            ),
                        },
                    ]
                },
            ),
        ],
    },
]

# One guide waits in the legal review workflow in the demo.
GUIDE_IN_REVIEW = {
    "slug": "secret-professionnel-et-partage",
    "title": "Secret professionnel et partage d'informations",
    "summary": (
        "Ce que permet le secret partagé en protection de l'enfance, et ce qu'il ne permet "
        "pas. En cours de relecture juridique."
    ),
    "publisher": "observatoire",
    "audiences": ["assistant-social", "educateur", "medecin", "psychologue", "infirmier-scolaire"],
    "topics": ["droit", "signalement"],
    "review_days_ago": 0,
    "next_review_in_days": 365,
    "body": [
        ("rich_text", EXAMPLE_NOTICE),
        ("heading", {"text": "Le partage d'informations à caractère secret"}),
        (
            "legal_reference",
            {
                "code": "Code de l'action sociale et des familles",
                "article": "L. 226-2-2",
                "summary": (
                    "Autorise les professionnel·le·s soumis·es au secret qui mettent en œuvre la "
                    "protection de l'enfance à partager entre eux les informations nécessaires "
                    "pour évaluer une situation et décider des actions de protection."
                ),
                "url": LEGIFRANCE_CASF,
            },
        ),
    ],
}
