"""The French words that decide an indicator, base, scope, lever or theme, keyed by registry ids.

Every key here is an id of `essbench.evidence.registry` (a test holds it): the assistant never
invents a category, it only recognises the registry's ones in a source's words. Patterns are
regular expressions matched without regard to case; `A` stands for either apostrophe.
"""

from __future__ import annotations

import re

A = "['’]"


def words(pattern: str) -> re.Pattern[str]:
    """A case-insensitive pattern in which `A` matches ' and ’."""
    return re.compile(pattern.replace("{A}", A), re.IGNORECASE)


# What a share is a share of, as written right after the number ("13 % des emplois").
# Order matters: the narrowest wording first.
SHARE_BASES: list[tuple[str, str, re.Pattern[str]]] = [
    # (indicator, base, words)
    ("ess_private_employment_share", "private_salaried_jobs",
     words(r"(?:emplois?|salariés?|postes?)\s+(?:salariés?\s+)?(?:du\s+secteur\s+)?privés?"
           r"|salariés\s+du\s+secteur\s+privé|de\s+l{A}emploi\s+privé|secteur\s+privé")),
    ("ess_employment_share", "salaried_jobs",
     words(r"emplois?\s+salariés?|(?:de\s+l{A}|des\s+)?(?:ensemble\s+des\s+)?salariés\b"
           r"|salariat")),
    ("ess_residential_jobs_share", "ess_jobs", words(r"sphère\s+résidentielle")),
    ("ess_establishment_share", "employer_establishments",
     words(r"établissements\s+employeurs")),
    ("ess_establishment_share", "enterprises", words(r"\bentreprises\b")),
    ("ess_gdp_share", "gdp", words(r"\bPIB\b|produit\s+intérieur\s+brut|richesse")),
    ("ess_establishments_associations_share", "ess_employer_establishments",
     words(r"\bassociations\b")),
    ("ess_establishments_cooperatives_share", "ess_employer_establishments",
     words(r"\bcoopératives\b")),
    ("ess_establishments_foundations_share", "ess_employer_establishments",
     words(r"\bfondations\b")),
    ("ess_establishments_mutuals_share", "ess_employer_establishments",
     words(r"\bmutuelles\b")),
    ("ess_employment_share", "all_jobs", words(r"\bemplois?\b|\bpostes\b|\bactifs\b")),
]

# A change over time rather than a level.
RATE = words(r"croissance|évolution|progression|hausse|baisse|augmentation|taux\s+de\s+création"
             r"|création\s+d{A}emplois?|progressé|augmenté|diminué|reculé|\bcrû")
RATE_OUTSIDE_ESS = words(r"reste\s+du\s+privé|autres\s+secteurs|hors\s+ESS|privé\s+hors"
                         r"|économie\s+classique")
RATE_ENTERPRISES = words(r"\bentreprises\b|\bétablissements\b")

# Counts and persons, by the noun right after the number ("2 392 salariés").
COUNT_NOUNS: list[tuple[str, re.Pattern[str]]] = [
    ("ess_staff", words(r"chargé(?:e)?s?\s+de\s+mission|agents?\b|\bETP\b|équivalents?\s+temps"
                        r"\s+plein|postes?\s+dédiés|personnes\s+dédiées|collaborat(?:eur|rice)s")),
    ("ess_establishments_all", words(r"établissements\s+(?:de\s+l{A}ESS\s+)?employeurs\s+ou\s+non")),
    ("ess_establishments", words(r"établissements")),
    ("ess_enterprises", words(r"entreprises\s+(?:et\s+structures|employeuses)|structures\s+de"
                              r"\s+l{A}ESS|entreprises\s+de\s+l{A}ESS")),
    ("ess_employees", words(r"emplois|salariés|postes|personnes\s+employées|emploi\b")),
    ("supported_projects_per_year", words(r"projets")),
    ("ess_network_members", words(r"structures\s+(?:partenaires|membres|adhérentes)|membres"
                                  r"|adhérents|partenaires")),
    ("population_as_stated", words(r"habitants")),
    ("communes_count_as_stated", words(r"communes")),
]
# Context that turns a count into something narrower than the ESS of the territory.
PREMISES = words(r"hôtel\s+d{A}(?:activités|entreprises)|pépinière|\blocaux\b|\bsites?\b"
                 r"|tiers[- ]lieux?|hébergé")
BUSINESS_MEETING = words(r"convention\s+d{A}affaires?|rencontrer|rendez-vous\s+d{A}affaires"
                         r"|salon\s+d{A}affaires|évènement|événement")
CALL_FOR_PROJECTS = words(r"appels?\s+à\s+projets?|\bAAP\b")
CITIZEN_BUDGET = words(r"budget\s+(?:citoyen|participatif)")
NETWORK = words(r"plateforme|réseau")
EVERY_YEAR = words(r"chaque\s+année|par\s+an\b|annuel(?:le)?s?\b|tous\s+les\s+ans|/\s*an\b")
CUMULATED = words(r"depuis|initié|lancé|au\s+total|cumul|à\s+ce\s+jour|en\s+tout")
SOLIDARITY = words(r"au\s+titre\s+des\s+solidarités|action\s+sociale|dépenses\s+sociales"
                   r"|solidarités\b")

# Money: what an amount is, by the words around it.
WAGES = words(r"salaires?\s+bruts?|masse\s+salariale|rémunérations")
BUDGET = words(r"budget|consacr|engagement\s+financier|crédits|enveloppe|financ|dépenses?"
               r"|subventions?|dotation|fonds\b|montant|investi|mobilis|alloue|attribu")
ESS_BUDGET_HERE = words(r"en\s+direct|en\s+faveur\s+de\s+l{A}ESS|(?:à|pour)\s+l{A}ESS|consacr")
# An amount that names one line of spending (a fund, a scheme): a line, not the whole budget.
LINE = words(r"\bfonds\b|dispositif|\bligne\b|subventions?\s+(?:aux|à)|conventions?\b|\baide\b")
TOTAL = words(r"\btotal\b|au\s+total|en\s+tout|ensemble\s+du\s+budget|budget\s+global")

# Scope of an amount.
EXCLUDES = words(r"\bhors\s+(?:de\s+|des\s+|du\s+)?")
LINES_FOLLOW = words(r"\bdont\b")
INCLUDES = words(r"\b(?:dont|y\s+compris|comprenant|incluant)\s+")
DIRECT = words(r"financés?\s+en\s+direct")
NATURES: list[tuple[str, re.Pattern[str]]] = [
    ("call_for_projects", CALL_FOR_PROJECTS),
    ("partnership_agreements", words(r"conventions?\s+(?:de\s+partenariat|pluriannuelles?)")),
    ("grants_or_fund", words(r"subventions?|\bfonds\b")),
    ("investment", words(r"investissement")),
    ("operating", words(r"fonctionnement")),
]
ANNUAL = EVERY_YEAR
ONE_OFF = words(r"ponctuel|exceptionnel|une\s+fois")
MULTI_YEAR = words(r"pluriannuel|entre\s+\d{4}\s+et\s+\d{4}"
                   r"|sur\s+(?:deux|trois|quatre|cinq|six|\d+)\s+ans"
                   r"|sur\s+(?:la\s+)?(?:période|durée)|cumulé|sur\s+\d{4}\s+et\s+\d{4}"
                   r"|de\s+\d{4}\s+à\s+\d{4}|\d{4}\s*[-–/]\s*\d{4}")

# Figures of another area than the territory: a yardstick, never the territory's value.
OTHER_AREA = words(r"au\s+niveau\s+(?:régional|national)|en\s+France\b|en\s+région\b"
                   r"|à\s+l{A}échelle"
                   r"\s+(?:nationale|régionale)|\bnational(?:e)?\b|\brégional(?:e)?\b"
                   r"|des\s+Alpes[- ]Maritimes|en\s+Europe")
# "15 % ici, contre 10 % au niveau national", "12 % (10 % en région)": the figure before the
# comparison is the territory's.
COMPARED = words(r"\b(?:contre|alors\s+qu{A}|face\s+à|pour|comparé\s+à|soit)\b|\(")
LOCAL = words(r"territoire|départemental|\bloca(?:l|le|ux)\b|pays\s+\w+|agglomération|métropol")

# Years: a start, a plan's span, or a date that is neither.
START = words(r"(?:initiée?s?|lancée?s?|créée?s?|mise?s?\s+en\s+place|mettre\s+en\s+place"
              r"|adoptée?s?|instaurée?s?|depuis|dès|à\s+partir\s+de)\s+(?:en\s+)?$")
POLICY = words(r"politique|plan\b|programme|contrat|stratégie|délibération")
PLAN_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("contract", words(r"contrat|CLDESS|convention|pacte")),
    ("plan", words(r"\bplan\b|PDESS|programme|schéma|stratégie|feuille\s+de\s+route"
                   r"|plan\s+d{A}actions?")),
    ("scheme", CALL_FOR_PROJECTS),
]
MONTHS = words(r"\b(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre"
               r"|novembre|décembre|semestre|trimestre)\b")
# Numbers that count or name the document's own parts, not the world.
STRUCTURE = words(r"^\s*(?:de\s+|d{A}\s*)?(?:grandes?\s+|grands\s+)?"
                  r"(?:orientations?|thématiques?|axes?|instances?"
                  r"|objectifs?|priorités?|actions?\b|étapes?|ans\b|années|mois|jours|fois"
                  r"|prochaines)")
NUMBERING = words(r"(?:\baxe|objectif\s+n°|objectif|\bn°|article|étape|phase|chapitre)\s*$")

LEVERS: dict[str, re.Pattern[str]] = {
    "network_animation": words(r"(?:animer|animation\s+d{A}un|créer\s+un|structurer\s+un)\s+"
                               r"réseau|réseau\s+(?:des\s+|d{A})acteurs?|mise\s+en\s+réseau"
                               r"|coordonner\s+les\s+(?:différents\s+)?acteurs|plateforme\s+"
                               r"collaborative|fédérer\s+les\s+acteurs"),
    "promotion_awareness": words(r"promotion|sensibilis|faire\s+conna[iî]tre|promouvoir\s+(?:les"
                                 r"\s+valeurs|ses\s+valeurs|l{A}ESS)|communication\s*,|mois\s+de"
                                 r"\s+l{A}ESS|visibilité"),
    "entrepreneurship_support": words(r"entrepreneuriat|entreprenariat|accompagnement\s+(?:individ"
                                      r"|au\s+lancement|à\s+la\s+création)|accompagner\s+les\s+"
                                      r"(?:structures|porteurs)|porteurs\s+de\s+projets?"
                                      r"|incubat"),
    "call_for_projects": CALL_FOR_PROJECTS,
    "solidarity_finance": words(r"finance\s+solidaire|finances\s+solidaires|outils\s+financiers"
                                r"|partenaires\s+financiers|fonds\s+d{A}(?:initiative|investis)"
                                r"|fonds\s+[A-Z]{3,}|prêts?\s+d{A}honneur|garantie"),
    "responsible_procurement": words(r"achats?\s+(?:public|responsables?)|acheteurs?\s+publics?"
                                     r"|marchés\s+publics|commande\s+publique|clauses\s+d{A}"
                                     r"insertion|marchés\s+réservés|marchés\s*/\s*prestations"
                                     r"|acheteur\s+public"),
    "premises_real_estate": words(r"immobili|hôtel\s+d{A}activités|pépinière"
                                  r"|\b(?:des|de|les)\s+locaux\b"
                                  r"|tiers[- ]lieux\s+innovants"),
    "training_professionalisation": words(r"professionnalisation|\bformations?\b(?!\s+de\s+type)"),
    "observation_research": words(r"\brecherche\s+en\b|développer\s+la\s+recherche|observation"
                                  r"|observatoire|\bchaire\b|prospective"),
    "business_cooperation": words(r"entreprises\s+locales|salon\s+d{A}affaires|convention\s+"
                                  r"d{A}affaires?|rapprochement\s+avec\s+les\s+autres\s+acteurs"
                                  r"|\bRSE\b|mécénat"),
    "governance_body": words(r"comité\s+de\s+pilotage|instance\s+\w*\s*de\s+pilotage"
                             r"|conseil\s+(?:départemental|local|régional)\s+de\s+l{A}économie"),
    "cross_policy_integration": words(r"autres\s+politiques|politiques\s+(?:classiques|publiques)"
                                      r"|\bSCOT\b|plan\s+climat|objectif\s+transversal"),
}
# "sans appel à projet": the source says the lever is not used.
NEGATION = words(r"\bsans\s+(?:un\s+|d{A})?$")

THEMES: dict[str, re.Pattern[str]] = {
    "food_short_circuits": words(r"alimenta|circuits?\s+courts?|maraîchage|maraichage|épiceries?"
                                 r"|\bbio\b|producteurs\s+locaux|agricult"),
    "waste_reuse": words(r"déchets|compost|réemploi|recycl|ressourcerie|réparation"),
    "energy_environment": words(r"énergéti|environnement\b|climat|transition\s+écologique"),
    "mobility": words(r"mobilités?|vélos?|triporteur|covoiturage|logistique"),
    "housing": words(r"habitat|logement"),
    "employment_inclusion": words(r"insertion|\bSIAE\b|\bIAE\b|retour\s+à\s+l{A}emploi"),
    "culture_tourism": words(r"tourisme|\bculture"),
    "digital": words(r"numérique"),
    "care_services": words(r"services\s+à\s+la\s+personne|\bsoins?\b|aide\s+à\s+domicile"
                           r"|petite\s+enfance|dépendance"),
}
STATED_PRIORITY = words(r"priorit|thématiques|axe\s+prioritaire")
SUPPORTED = words(r"soutenu|lauréat|financé|a\s+permis")
