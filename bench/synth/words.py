"""The fixed vocabulary of the synthetic hub: topics, places, names and domain words.

Everything here is data; the order of every tuple matters, because the seeded
generator picks from them by index.
"""

from __future__ import annotations

# fmt: off

TOPICS: tuple[tuple[str, str, str], ...] = (
    ("partner-career", "Partner career",
     "Job search, work permits and portable careers for accompanying partners."),
    ("dual-careers", "Dual-career couples",
     "Two careers, one move: negotiating assignments that work for both."),
    ("integration", "Integration and networks",
     "Settling in, building a local network, hobbies, volunteering."),
    ("mentoring", "Mentoring",
     "Pairing, goals and a year of conversations with someone who has been there."),
    ("visas-and-permits", "Visas and work permits",
     "Residence, dependant visas and the right to work in the host country."),
    ("housing", "Housing and settling in",
     "Finding a home, leases, deposits and the first weeks in a new city."),
    ("schooling", "Schools and children",
     "International and local schools, childcare and helping children adapt."),
    ("language-learning", "Language learning",
     "Courses, tandems and everyday practice in the host country's language."),
    ("wellbeing", "Wellbeing and resilience",
     "Culture shock, loneliness, identity and looking after yourself."),
    ("money-and-tax", "Money, tax and pensions",
     "Two tax systems, pensions, insurance and budgeting abroad."),
    ("repatriation", "Coming home",
     "Returning after an assignment: reverse culture shock and re-entry."),
    ("employer-support", "Employer support",
     "What HR and global mobility teams can offer partners and families."),
)

# (ISO 3166-1 alpha-2, English name, cities, ISO 639-1 language)
COUNTRIES: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("DE", "Germany", ("Berlin", "Munich", "Hamburg", "Frankfurt"), "de"),
    ("NL", "the Netherlands", ("Amsterdam", "Rotterdam", "Eindhoven", "The Hague"), "nl"),
    ("SG", "Singapore", ("Singapore",), "en"),
    ("BR", "Brazil", ("São Paulo", "Rio de Janeiro", "Curitiba"), "pt"),
    ("FR", "France", ("Paris", "Lyon", "Toulouse"), "fr"),
    ("US", "the United States", ("Houston", "Boston", "Seattle", "Chicago"), "en"),
    ("GB", "the United Kingdom", ("London", "Manchester", "Edinburgh"), "en"),
    ("JP", "Japan", ("Tokyo", "Osaka", "Nagoya"), "ja"),
    ("CN", "China", ("Shanghai", "Beijing", "Shenzhen"), "zh"),
    ("IN", "India", ("Bengaluru", "Mumbai", "Pune"), "hi"),
    ("AE", "the United Arab Emirates", ("Dubai", "Abu Dhabi"), "ar"),
    ("CH", "Switzerland", ("Zürich", "Basel", "Geneva"), "de"),
    ("CA", "Canada", ("Toronto", "Vancouver", "Montréal"), "en"),
    ("AU", "Australia", ("Sydney", "Melbourne", "Perth"), "en"),
    ("ES", "Spain", ("Madrid", "Barcelona", "Valencia"), "es"),
    ("IT", "Italy", ("Milan", "Turin", "Rome"), "it"),
    ("SE", "Sweden", ("Stockholm", "Gothenburg", "Malmö"), "sv"),
    ("NO", "Norway", ("Oslo", "Stavanger", "Bergen"), "no"),
    ("DK", "Denmark", ("Copenhagen", "Aarhus"), "da"),
    ("MX", "Mexico", ("Mexico City", "Monterrey", "Querétaro"), "es"),
    ("ZA", "South Africa", ("Johannesburg", "Cape Town"), "en"),
    ("KR", "South Korea", ("Seoul", "Busan"), "ko"),
    ("PT", "Portugal", ("Lisbon", "Porto"), "pt"),
    ("PL", "Poland", ("Warsaw", "Kraków", "Wrocław"), "pl"),
)

EXTRA_LANGUAGES: tuple[str, ...] = (
    "en", "fr", "de", "es", "pt", "nl", "it",
)

FIRST_NAMES: tuple[str, ...] = (
    "Ana", "Priya", "Tomás", "Mei", "Johanna", "Kwame", "Sofia", "Lars", "Aisha", "Chloé", "Daniel",
    "Yuki", "Ngozi", "Mateus", "Ingrid", "Farah", "Oliver", "Zoë", "Rafael", "Siobhán", "Hiroshi",
    "Leila", "Marta", "Arjun", "Åsa", "Łukasz", "Camila", "Noah", "Fatima", "Jonas", "Elena",
    "Samuel", "Nadia", "Ravi", "Clara", "Diego", "Amara", "Henrik", "Lucía", "Omar", "Isabel",
    "Kenji", "Maya", "Pieter", "Rosa", "Tariq",
)

LAST_NAMES: tuple[str, ...] = (
    "Lima", "Sharma", "Okafor", "Chen", "Müller", "Mensah", "Rossi", "Andersen", "Khan", "Dubois",
    "Tanaka", "Silva", "Nowak", "García", "van Dijk", "Haddad", "Kim", "O'Brien", "Nakamura",
    "Fernández", "Johansson", "Costa", "Ibrahim", "Schmidt", "Moreau", "Patel", "Lindqvist",
    "Santos", "Yilmaz", "Walker", "Novak", "Mbeki", "Rahman", "Bauer", "Ito",
)

ORGANIZATIONS: tuple[str, ...] = (
    "Northwind Energy", "Meridian Mobility", "Atlas Relocation", "Harbour & Partners",
    "Global Families Network", "Bridgeway Coaching", "Kestrel Engineering", "Open Doors Expat Club",
)

SOURCES: tuple[str, ...] = (
    "Relocate Weekly", "The Accompanying Partner", "Global Mobility Review", "Expat Family Notes",
    "Dual Career Journal", "Moving Minds",
)

ROLE_SETS: tuple[tuple[str, ...], ...] = (
    ("author", "editor"),
    ("author", "coach"),
    ("partner",),
    ("mentor", "author"),
    ("author",),
    ("partner", "mentor"),
    ("coach",),
    ("author", "team"),
    ("partner", "author"),
    ("mentor",),
)

AUDIENCES: tuple[str, ...] = (
    "partners", "employees", "hr", "mentors",
)

NOUNS: tuple[str, ...] = (
    "relocation", "partner", "assignment", "visa", "mentoring", "integration", "work permit",
    "host country", "network", "career", "employer", "assignee", "spouse", "residence permit",
    "housing search", "school place", "language course", "culture", "community", "volunteer role",
    "allowance", "relocation package", "mobility policy", "onboarding", "coach", "mentor", "mentee",
    "goal", "questionnaire", "closing review", "pairing", "repatriation", "move", "neighbourhood",
    "commute", "registration", "tax return", "pension", "health insurance", "childcare", "CV",
    "job interview", "freelance contract", "remote job", "identity", "routine", "friendship",
    "resilience", "culture shock", "family", "household budget", "landlord", "lease", "deposit",
    "consulate", "appointment", "certified translation", "diploma", "qualification", "HR team",
    "global mobility team", "dual-career policy", "peer group", "language tandem",
    "coworking space", "sports club", "parents' group", "first month", "welcome pack",
    "local bank account", "driving licence", "tax adviser",
)

PLURALS: tuple[str, ...] = (
    "partners", "assignees", "families", "mentors", "employers", "couples", "newcomers", "children",
    "coaches", "recruiters", "neighbours", "colleagues", "HR managers",
)

VERBS: tuple[str, ...] = (
    "explore", "negotiate", "plan", "support", "share", "prepare", "join", "rebuild", "compare",
    "arrange", "find", "discuss", "review", "question", "change", "protect", "understand",
    "organise", "translate", "register", "budget for", "ask about",
)

GERUNDS: tuple[str, ...] = (
    "Planning", "Negotiating", "Rebuilding", "Preparing", "Finding", "Sharing", "Starting",
    "Choosing", "Budgeting for", "Learning", "Keeping", "Understanding", "Leaving", "Joining",
)

ADJECTIVES: tuple[str, ...] = (
    "practical", "local", "international", "dual-income", "portable", "flexible", "first",
    "realistic", "bureaucratic", "welcoming", "unfamiliar", "supportive", "candid", "steady",
    "informal", "structured", "new", "small", "difficult", "useful", "quiet", "shared", "open",
    "early", "unexpected",
)

ADVERBS: tuple[str, ...] = (
    "often", "usually", "rarely", "quickly", "slowly", "still", "sometimes", "always", "gradually",
    "eventually", "really", "almost",
)

# Plural subjects only, so that every verb in VERBS agrees with them.
SUBJECTS: tuple[str, ...] = (
    "We", "Most partners", "Our mentors", "Employers", "Many couples", "HR teams", "Families",
    "They", "Coaches", "Good mentors", "Newcomers", "Accompanying partners",
    "Global mobility teams", "Other members", "Both of us", "Friends at home",
)

CONNECTORS: tuple[str, ...] = (
    "because", "while", "before", "after", "although", "so that", "when", "until", "unless",
)

PREPOSITIONS: tuple[str, ...] = (
    "in", "for", "with", "after", "before", "during", "around", "without", "through", "about",
)

DETERMINERS: tuple[str, ...] = (
    "the", "a", "every", "their", "our", "one", "that", "each",
)

# Sentence shapes; {x} slots are filled by synth.text.
SENTENCES: tuple[str, ...] = (
    "{S} {adv} {v} the {a} {n} {p} the {n2}.",
    "{S} {v} {d} {n} {p} {d} {a} {n2}, {c} the {n3} {adv} takes longer than expected.",
    "The {n} is {adv} the {a} part of {d} {n2}.", "{S} said the {n} mattered more than the {n2}.",
    "In {city}, {pl} {adv} {v} the {n} {p} {d} {a} {n2}.",
    "{S} did not {v} the {n} {c} {pl} had a {a} {n2}.",
    "Ask {d} {n} early: {pl} who {v} the {n2} {adv} settle in faster.",
    "{S} {v} the {n}, then the {n2}, and only then the {a} {n3}.",
    "For {pl}, a {a} {n} {adv} makes the {n2} easier.",
    "{S} {adv} {v} {d} {a} {n} {c} the {n2} {p} {city} starts.",
)

HEADINGS: tuple[str, ...] = (
    "{G} the {n}", "What {pl} should know about the {n}", "The {a} {n}", "{G} {d} {n} in {city}",
    "Before the {n}", "Questions to ask about the {n}", "After the first month",
    "When the {n} gets hard",
)

ARTICLE_TITLES: tuple[str, ...] = (
    "How to {v} the {n} in {city}", "{k} things {pl} wish they knew about the {n}",
    "{A} {n}: a guide for {pl}", "What the {n} really means for {pl}",
    "From {city} to {city2}: {g} the {n}", "{G} a {a} {n} abroad",
    "Salaries < 50k & rising: the {n} in {country}", "The {n} & the {n2}: {g} both",
    "Why \"{a}\" {n} policies fail {pl}",
)

STORY_TITLES: tuple[str, ...] = (
    "{name}: from {from_city} to {to_city}", "Starting over in {to_city}",
    "{name} on the {n} nobody mentions", "A year in {to_city}: {name}'s story",
    "“{A} {n}” — {name} in {to_city}",
)

QUESTIONS: tuple[str, ...] = (
    "What surprised you most about {to_city}?", "How did you approach the {n}?",
    "Who helped you in the first month?", "What would you tell a partner who is about to move?",
    "How did the {n} change your plans?", "What did your employer do well, and what not?",
)

LINK_PHRASES: tuple[str, ...] = (
    "our guide to the {n}", "this story about {city}", "a profile worth reading",
    "the checklist for the {n}", "what other {pl} wrote", "the {a} {n} explained",
)

EXTERNAL_LINKS: tuple[str, ...] = (
    "https://example.org/relocation/checklist", "https://example.com/visa-guide",
    "https://example.net/partner-career/survey", "https://example.org/mentoring/handbook",
    "https://example.com/integration/networks", "https://example.net/tax/two-countries",
)
# fmt: on
