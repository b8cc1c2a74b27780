"""The demo programme: facts from the customer's description (shared/seed), prose written by us."""

import datetime
from decimal import Decimal

SLUG = "sturen-vanuit-vertrouwen"
DEMO_PASSWORD = "leergang-demo"  # noqa: S105 - published demo login, printed by make run

PROGRAMME = {
    "slug": SLUG,
    "published": True,
    "organiser": "VU School of Governance",
    "title_nl": "Sturen en leidinggeven vanuit vertrouwen",
    "title_en": "Steering and leading from trust",
    "tagline_nl": "Een opleiding voor leidinggevende professionals in (semi)publieke organisaties die minder op regels en controle en meer op vertrouwen willen sturen.",
    "tagline_en": "A programme for public-sector professionals who lead people and projects and want to rely less on rules and control and more on trust.",
    "description_nl": (
        "Organisaties waarin professionals elkaar en hun omgeving met vertrouwen tegemoet treden, presteren beter, "
        "reageren beter op wat er om hen heen gebeurt en vernieuwen meer. Wie er werkt, werkt er bovendien prettiger. "
        "Onderzoek onderbouwt die principes, ook voor gemeenten en andere (semi)publieke organisaties.\n\n"
        "Toch is wantrouwen vaak nog de gewoonte: gaat er iets mis, dan volgen nieuwe regels, meer controle en zwaardere "
        "verantwoording. In deze opleiding leert u waarom sturen vanuit vertrouwen prettiger én effectiever is, en hoe u "
        "dat in uw eigen organisatie en in samenwerking met anderen waarmaakt."
    ),
    "description_en": (
        "Organisations in which professionals meet each other and their surroundings with trust perform better, respond "
        "better to what happens around them and innovate more; the people who work there are better off too. Research "
        "supports these principles, also for municipalities and other public organisations.\n\n"
        "Yet distrust is often still the habit: when something goes wrong, new rules, more control and heavier "
        "accountability follow. In this programme you learn why leading from trust is both more pleasant and more "
        "effective, and how to make it work in your own organisation and together with others."
    ),
    "approach_nl": (
        "De opleiding telt zes inhoudelijke bijeenkomsten van vijf contacturen, 's middags en 's avonds, en een "
        "afsluitende presentatiedag. Wetenschappers en praktijkexperts uit de bestuurskunde, bedrijfskunde en het recht "
        "doceren samen. U werkt met de groep en in kleine groepjes aan echte casussen.\n\n"
        "Aan het begin formuleert u een eigen casus uit uw werkpraktijk. Die werkt u tijdens de opleiding uit (academic "
        "action learning) en bespreekt u in elke bijeenkomst. Het resultaat is een advies of plan voor uw eigen "
        "werksituatie, vastgelegd in een kort paper met reflectie. Tussen de bijeenkomsten zitten steeds minstens vier "
        "weken, zodat er tijd is voor de literatuur en uw casus; schoolvakanties blijven vrij."
    ),
    "approach_en": (
        "The programme has six content sessions of five contact hours each, in the afternoon and evening, and a closing "
        "day with presentations. Scholars and practitioners from public administration, business studies and law teach "
        "together. You work on real cases with the whole group and in small groups.\n\n"
        "At the start you formulate a case from your own practice. You develop it throughout the programme (academic "
        "action learning) and discuss its progress at every session. The result is advice or a plan for your own work, "
        "written up in a short paper with reflection. At least four weeks separate the sessions, leaving time for the "
        "reading and your case; school holidays are kept free."
    ),
    "profile_nl": (
        "U bent een professional met een academische of hbo+-opleiding, of u werkt en denkt op academisch niveau. U heeft "
        "minstens vijf jaar relevante werkervaring, bijvoorbeeld bij een gemeente of bij een organisatie die veel met "
        "gemeenten samenwerkt, en u heeft een leidinggevende taak of een opdracht tot samenwerking, binnen uw organisatie "
        "of in een keten.\n\n"
        "U wilt meer vanuit vertrouwen en minder vanuit regels en controle leidinggeven of organiseren, uw eigen "
        "competenties daarin versterken en deze manier van werken in uw organisatie waarmaken."
    ),
    "profile_en": (
        "You are a professional with a university or higher professional education, or you work and think at that "
        "level. You have at least five years of relevant experience, for instance at a municipality or an organisation "
        "that works closely with municipalities, and you lead people or have been asked to make a collaboration work, "
        "inside your organisation or across a chain of organisations.\n\n"
        "You want to lead and organise more from trust and less from rules and control, strengthen your own skills in "
        "doing so, and make this way of working real in your organisation."
    ),
    "intake_note_nl": "U meldt zich aan met het inschrijfformulier. Een intakegesprek kan deel uitmaken van de definitieve inschrijving.",
    "intake_note_en": "You apply with the registration form. An intake interview may be part of the final admission.",
    "fee_includes_nl": "inclusief studiemateriaal en maaltijden, koffie, thee, frisdrank en aanvullende catering",
    "fee_includes_en": "including study material and meals, coffee, tea, soft drinks and additional catering",
    "vat_exempt": True,
    "preparation_hours_per_session": 4,
    "paper_hours": 50,
    "contact_email": "VU.SOG@vu.nl",
}

LEARNING_GOALS = [
    (
        "U kent de bestuurskundige, bedrijfskundige, juridische en organisatie-antropologische perspectieven op sturen vanuit vertrouwen, begrijpt de literatuur en de grondslagen ervan en ziet waarom een multidisciplinaire benadering nodig is.",
        "You understand the public administration, business, legal and organisational anthropology perspectives on steering from trust, know the literature and its foundations, and see why a multidisciplinary approach is needed.",
    ),
    (
        "U begrijpt de dynamiek en de processen van sturen vanuit vertrouwen tegenover wantrouwen, de overtuigingen die eronder liggen en hoe dat in organisaties uitwerkt.",
        "You understand the dynamics and processes of steering from trust rather than distrust, the beliefs beneath them, and how this plays out inside organisations.",
    ),
    (
        "U heeft inzicht in uw eigen grondhouding als leidinggevende en die van de mensen met wie u samenwerkt, kunt omgaan met (morele) dilemma's rond vertrouwen en wantrouwen, en kunt op basis van vertrouwen de dialoog en samenwerking met collega's aangaan.",
        "You understand your own basic attitude as a leader and that of the people you work with, can handle (moral) dilemmas of trust and distrust, and can engage colleagues in dialogue and collaboration based on trust.",
    ),
    (
        "U weet onder welke voorwaarden sturen vanuit vertrouwen mogelijk is en hoe u het inbedt in uw eigen organisatie en in de samenwerking met andere organisaties.",
        "You know the conditions under which steering from trust is possible and how to embed it in your own organisation and in collaboration with other organisations.",
    ),
    (
        "U heeft door het toepassen van de inzichten in uw eigen praktijk nieuwe ervaring en persoonlijke vaardigheden opgedaan die u verder kunt gebruiken.",
        "By applying these insights in your own practice, you have gained new experience and personal skills that you can keep using.",
    ),
    (
        "U heeft vertrouwen in uw eigen vermogen om vanuit vertrouwen te sturen en heeft uw persoonlijke competenties daarvoor versterkt.",
        "You trust your own ability to steer from trust and have strengthened the personal competences it takes.",
    ),
]

LEAD_TEACHERS = [
    {
        "name": "Dr. ir. Frédérique Six",
        "position_nl": "Hoofddocent Publieke Governance, Vrije Universiteit Amsterdam",
        "position_en": "Associate professor of Public Governance, Vrije Universiteit Amsterdam",
        "bio_nl": "Frédérique is nationaal en internationaal expert op het gebied van vertrouwen in de publieke sector en van de manier waarop vertrouwen en beheersing elkaar kunnen versterken. Zij geeft veel masterclasses en lezingen aan professionals, kent de praktijk en publiceert en blogt veel over dit thema.",
        "bio_en": "Frédérique is a national and international expert on trust in the public sector and on how trust and control can reinforce each other. She gives many masterclasses and talks to public-sector professionals, knows their practice well, and publishes and blogs widely on the subject.",
    },
    {
        "name": "Dr. Tjerk Budding",
        "position_nl": "Hoofddocent Public Sector Accounting, School of Business and Economics, Vrije Universiteit Amsterdam; opleidingsdirecteur Public Controller",
        "position_en": "Associate professor of Public Sector Accounting, School of Business and Economics, Vrije Universiteit Amsterdam; programme director of the Public Controller programme",
        "bio_nl": "Tjerk onderzoekt beheersingsvraagstukken in de publieke sector, heeft veel ervaring met lesgeven aan professionals en kent de gemeentelijke praktijk goed.",
        "bio_en": "Tjerk researches questions of management control in the public sector, has long experience teaching professionals, and knows municipal practice well.",
    },
]

DEMO_TEACHER = {
    "name": "Demo Docent",
    "position_nl": "Gastdocent (demo-account)",
    "position_en": "Guest teacher (demo account)",
    "bio_nl": "Een fictieve docent om Leergang mee uit te proberen.",
    "bio_en": "A fictional teacher for trying out Leergang.",
}

LOCATION = {
    "name": "Hoofdgebouw Vrije Universiteit Amsterdam",
    "address": "De Boelelaan 1105",
    "postal_code": "1081 HV",
    "city": "Amsterdam",
}
ROOM = {"name": "Zaal 1A-10", "area_m2": "120.0"}
LOCATION_TEXT = "Hoofdgebouw Vrije Universiteit Amsterdam, De Boelelaan 1105, 1081 HV Amsterdam"

FEE = "2995.00"
CAPACITY = 25

# (date, kind, theme nl, theme en, parts)
SESSIONS_2021 = [
    (
        datetime.date(2021, 1, 13),
        "content",
        "Vertrouwen bouwen en behouden: hoe de dynamiek van vertrouwen en wantrouwen werkt, in het bijzonder in de publieke sector.",
        "Building and keeping trust: how the dynamics of trust and distrust work, particularly in the public sector.",
        [],
    ),
    (
        datetime.date(2021, 2, 10),
        "content",
        "Condities voor vertrouwen: wanneer kunt u wel of niet vanuit vertrouwen sturen? Hoe verhouden controle en verantwoording zich tot vertrouwen? En hoe werkt vertrouwen tussen organisaties anders dan tussen mensen?",
        "Conditions for trust: when can you steer from trust, and when not? How do control and accountability relate to trust? And how does trust between organisations differ from trust between people?",
        [],
    ),
    (
        datetime.date(2021, 3, 24),
        "content",
        "Dialogisch leiderschap: hoe schept u de voorwaarden voor een vruchtbare dialoog met collega's en in uw organisatie?",
        "Dialogic leadership: how do you create the conditions for a fruitful dialogue with colleagues and within your organisation?",
        [],
    ),
    (
        datetime.date(2021, 4, 21),
        "content",
        "Goede praktijken: een aantal goede praktijken als casus besproken, met aandacht voor de politiek-bestuurlijke kant. Wat leren we ervan?",
        "Good practices: several good practices discussed as cases, with attention to their political and administrative side. What do we learn from them?",
        [],
    ),
    (
        datetime.date(2021, 6, 9),
        "content",
        "Verandermanagement naar sturen vanuit vertrouwen: welke voorwaarden en belemmeringen zijn er bij de invoering, hoe verloopt zo'n verandering, en wat leert de organisatie-antropologie ons daarover?",
        "Managing the change to steering from trust: which conditions and obstacles matter, how does such a change unfold, and what does organisational anthropology teach us about it?",
        [],
    ),
    (
        datetime.date(2021, 9, 15),
        "content",
        "Drie bijzondere thema's, in drie kortere colleges.",
        "Three special themes, in three shorter lectures.",
        [
            ("Contracteren en aanbesteden vanuit vertrouwen", "Contracting and procurement from trust", "Dr. Tjerk Budding"),
            (
                "Samenwerken in netwerken of ketens vanuit vertrouwen",
                "Collaborating in networks and chains from trust",
                "Dr. ir. Frédérique Six",
            ),
            ("Lerende bureaucratie en vertrouwen", "Learning bureaucracy and trust", "Demo Docent"),
        ],
    ),
    (
        datetime.date(2021, 10, 13),
        "closing",
        "Slotbijeenkomst: de deelnemers presenteren hun reflecties, gevolgd door de diploma-uitreiking en een afsluitende borrel.",
        "Closing session: participants present their reflections, followed by the diploma ceremony and farewell drinks.",
        [],
    ),
]

COORDINATOR = {"email": "coordinator@example.org", "first_name": "Carla", "last_name": "Coördinator", "role": "coordinator"}
TEACHER_USER = {"email": "docent@example.org", "first_name": "Demo", "last_name": "Docent", "role": "teacher"}
PARTICIPANTS = [
    {"email": "anna.jansen@example.org", "first_name": "Anna", "last_name": "Jansen", "organisation": "Gemeente Utrecht"},
    {"email": "bram.devries@example.org", "first_name": "Bram", "last_name": "de Vries", "organisation": "Gemeente Zwolle"},
    {
        "email": "chantal.bakker@example.org",
        "first_name": "Chantal",
        "last_name": "Bakker",
        "organisation": "Veiligheidsregio Amsterdam-Amstelland",
    },
    {"email": "dirk.smit@example.org", "first_name": "Dirk", "last_name": "Smit", "organisation": "Provincie Noord-Holland"},
    {"email": "esra.yilmaz@example.org", "first_name": "Esra", "last_name": "Yılmaz", "organisation": "GGD Hollands Noorden"},
]

# -- The running edition: the same programme under way, to show the learning features (M11-M16) --

# Learning goals per session number (numbers as the programme page shows them, from 1), the same in
# every edition; the closing session has none of its own.
SESSION_GOALS = {1: (1, 2), 2: (2, 4), 3: (3, 6), 4: (4, 5), 5: (1, 4), 6: (1, 4)}

# Reading per session number: (title, link, preparation minutes). Two items per session add up to the
# programme's norm of four hours of preparation per session.
LITERATURE = {
    1: [
        (
            "Mayer, Davis & Schoorman (1995) – An integrative model of organizational trust",
            "https://doi.org/10.5465/amr.1995.9508080335",
            90,
        ),
        (
            "Van de Walle & Six (2014) – Trust and distrust as distinct concepts: why studying distrust in institutions is important",
            "https://doi.org/10.1080/13876988.2013.785146",
            150,
        ),
    ],
    2: [
        (
            "Bovens (2007) – Analysing and assessing accountability: a conceptual framework",
            "https://doi.org/10.1111/j.1468-0386.2007.00378.x",
            120,
        ),
        (
            "Das & Teng (1998) – Between trust and control: developing confidence in partner cooperation in alliances",
            "https://doi.org/10.5465/amr.1998.926623",
            120,
        ),
    ],
    3: [
        (
            "Weggeman (2007) – Leidinggeven aan professionals? Niet doen! (hoofdstukken 1 tot en met 3)",
            "https://www.example.org/literatuur/weggeman-leidinggeven-aan-professionals",
            150,
        ),
        (
            "Edmondson (1999) – Psychological safety and learning behavior in work teams",
            "https://doi.org/10.2307/2666999",
            90,
        ),
    ],
}

GROUP_SIZE = 3

# The own case of two participants, with a progress entry for each session already held:
# (title, question, context, [(done, learned, next step) per session]).
CASES = {
    "anna.jansen@example.org": (
        "Minder verantwoording voor kleine buurtsubsidies",
        "Hoe kan mijn team de verantwoordingseisen voor kleine subsidies aan buurtinitiatieven verlichten, zonder "
        "dat de gemeenteraad het zicht op de besteding van het geld verliest?",
        "Ik ben teamleider subsidies bij de gemeente Utrecht. Voor bedragen vanaf 500 euro vragen we een begroting, "
        "alle facturen en een inhoudelijk verslag. Initiatiefnemers haken af, en mijn medewerkers besteden meer tijd "
        "aan controle dan aan contact met de wijk. Na een geval van misbruik enkele jaren geleden zijn de regels "
        "aangescherpt; de raad is daar nog steeds gevoelig voor.",
        [
            (
                "Het huidige subsidieproces stap voor stap in kaart gebracht met twee medewerkers, en drie "
                "initiatiefnemers gesproken over hoe zij de aanvraag en de verantwoording ervaren.",
                "Vertrouwen en wantrouwen als aparte begrippen zien hielp: onze regels zijn gemaakt om de enkeling "
                "die misbruik maakt uit te sluiten, niet voor de vele initiatiefnemers die het goed doen.",
                "Uitzoeken welke controles wettelijk verplicht zijn en welke we zelf hebben toegevoegd, en daarover "
                "in gesprek gaan met de afdeling Financiën.",
            ),
            (
                "Met Financiën en de concerncontroller alle controles doorgelopen. Van de negen stappen zijn er drie "
                "wettelijk verplicht; de rest is na het incident toegevoegd.",
                "Verantwoording hoeft niet alleen achteraf en op papier. De controller staat open voor een steekproef "
                "en een gesprek in de wijk in plaats van een map met facturen.",
                "Een voorstel schrijven voor een proef van een half jaar in twee wijken en dat bespreken met de wethouder.",
            ),
        ],
    ),
    "bram.devries@example.org": (
        "Ruimte en vertrouwen in de contracten voor jeugdhulp",
        "Hoe kunnen wij als gemeente de aanbieders van jeugdhulp meer ruimte geven, zonder de grip op de kwaliteit "
        "en de kosten te verliezen?",
        "Als manager contractbeheer jeugdhulp bij de gemeente Zwolle ben ik verantwoordelijk voor de contracten met "
        "ruim veertig aanbieders. We sturen op productieaantallen en declaraties. Aanbieders klagen over de "
        "administratieve last, wij over de stijgende kosten; de verhouding is zakelijk en soms wantrouwig.",
        [
            (
                "Met drie aanbieders en twee van onze contractmanagers gesproken over wat zij van elkaar verwachten "
                "en waar het schuurt.",
                "Het model van Mayer en anderen maakt zichtbaar dat wij vooral twijfelen aan de integriteit van "
                "aanbieders, terwijl zij vooral twijfelen aan onze deskundigheid om hun werk te beoordelen.",
                "Bij twee aanbieders de declaratiecontrole naast de vraag leggen wat we eigenlijk willen weten.",
            ),
            (
                "Samen met één aanbieder een maand lang bijgehouden welke gegevens we opvragen en wat we ermee doen.",
                "Controle en vertrouwen hoeven elkaar niet uit te sluiten: controle die de aanbieder redelijk vindt, "
                "kan het vertrouwen juist versterken (Das en Teng).",
                "Met deze aanbieder een proef voorstellen met afspraken over resultaten in plaats van controle op productie.",
            ),
        ],
    ),
}
# The demo teacher's response to Anna's first progress entry.
CASE_RESPONSE = (
    "Mooi dat je begint bij de ervaring van de initiatiefnemers zelf. Vraag in het gesprek met Financiën ook naar "
    "hun zorgen: welk risico willen zij afdekken, en kan dat met minder papier? Het artikel van Bovens over "
    "verantwoording, voor de volgende bijeenkomst, geeft je daarvoor handvatten."
)

# Hours logged: (participant, kind, session number, days after that session (negative: before), hours,
# note). Preparation is for that session; case work is only dated from it.
TIME_LOG = [
    ("anna.jansen@example.org", "preparation", 1, -6, "2,5", "Mayer, Davis & Schoorman"),
    ("anna.jansen@example.org", "preparation", 1, -2, "1,5", "Van de Walle & Six"),
    ("anna.jansen@example.org", "case", 1, 8, "3", "Gesprekken met initiatiefnemers"),
    ("anna.jansen@example.org", "preparation", 2, -4, "4", ""),
    ("bram.devries@example.org", "preparation", 1, -3, "3", ""),
    ("bram.devries@example.org", "case", 1, 13, "2", "Gesprekken met aanbieders"),
    ("bram.devries@example.org", "preparation", 2, -5, "2", "Bovens"),
    ("dirk.smit@example.org", "preparation", 1, -1, "4", ""),
]

# One participant has let the programme office know ahead that they cannot come to the next session.
ABSENCE = (
    "chantal.bakker@example.org",
    "Op die dag heb ik een verplichte oefening van onze crisisorganisatie.",
)
# The running edition's register: who was absent at which held session (everyone else present).
REGISTER_ABSENT = (2, "dirk.smit@example.org")

# The programme page's discount banner: alumni of the School of Governance get 10% (no end date, no limit).
# The open edition's cancellation terms (demo choice; the seed names none).
CANCELLATION = {"free_days_before_start": 42, "fee_kind": "percentage", "fee_value": "50"}

DISCOUNT = {
    "code": "ALUMNI",
    "description": "Korting voor alumni van de School of Governance",
    "kind": "percentage",
    "value": Decimal("10"),
}

# -- The completed 2021 edition: how it ended (M17-M19) --

# Content sessions (by number) each 2021 participant missed; everyone else was present at every
# session. Chantal let the office know ahead (excused) and still reached the diploma; Esra missed two
# and receives a certificate of participation instead.
MISSED_2021 = {
    "chantal.bakker@example.org": {4: ("excused", "Verplichte oefening van de crisisorganisatie.")},
    "esra.yilmaz@example.org": {3: ("absent", ""), 5: ("absent", "")},
}

# Each 2021 participant's final paper: (file name, title, the teacher's feedback). All were assessed
# sufficient and presented at the closing session.
PAPERS_2021 = {
    "anna.jansen@example.org": (
        "Eindopdracht Anna Jansen - buurtsubsidies.pdf",
        "Vertrouwen in de wijk: minder verantwoording voor kleine buurtsubsidies",
        "Een helder advies dat de raad serieus zal nemen; de proef in twee wijken is goed onderbouwd.",
    ),
    "bram.devries@example.org": (
        "Eindopdracht Bram de Vries.pdf",
        "Sturen op resultaat in de jeugdhulp: een proef met vertrouwen",
        "Sterk hoe u de literatuur over controle en vertrouwen verbindt met de contractpraktijk.",
    ),
    "chantal.bakker@example.org": (
        "Eindopdracht Chantal Bakker.pdf",
        "Vertrouwen in de keten van crisisbeheersing",
        "Mooie reflectie op uw eigen rol in de crisisorganisatie.",
    ),
    "dirk.smit@example.org": (
        "Eindopdracht Dirk Smit.pdf",
        "Ruimte voor professionals in het provinciale vergunningverleningsproces",
        "Een goed uitgewerkt plan; let bij de invoering op de politiek-bestuurlijke kant.",
    ),
    "esra.yilmaz@example.org": (
        "Eindopdracht Esra Yilmaz.pdf",
        "Vertrouwen tussen GGD en gemeenten in de jeugdgezondheidszorg",
        "Een scherpe analyse van de verhouding met de gemeenten.",
    ),
}
