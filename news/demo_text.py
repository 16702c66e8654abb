"""The synthetic text of ``manage.py seed_demo``, drawn reproducibly from one random generator.

Made-up words of Zipf-like frequency with real topic words mixed in at a small share, in English
and in Russian, so that searches and facets see text shaped like real news; and the mix of
cities, kinds of participants and project statuses the demo rows are drawn from.
"""

import itertools
from datetime import date, timedelta

from portal.models import Project, Stakeholder

FIRST_YEAR, LAST_YEAR = 2015, 2026

# Real topic words make up a small share of the text, as in real news: "innovation" appears in
# roughly one article in seven. The rest are made-up words of Zipf-like frequency.
TOPIC_SHARE = 0.03
# fmt: off
TOPIC_WORDS = [
    "innovation", "research", "cluster", "technology", "university", "laboratory", "engineering",
    "medicine", "energy", "materials", "software", "electronics", "nuclear", "photonics",
    "biotech", "agriculture", "forestry", "education", "students", "startup", "investment",
    "export", "digital", "platform", "pilot", "prototype", "partnership", "agreement", "grant",
    "infrastructure", "campus", "park", "territory", "region", "Tomsk", "Siberia", "science",
    "industry", "production", "quality", "talent", "mobility", "hydrogen", "polymer", "sensor",
    "satellite",
]
ORGANISATION_WORDS = [
    "Siberian", "Tomsk", "Northern", "Cedar", "Ob", "River", "Polar", "Taiga", "Altai", "Baikal",
    "Ural", "Volga", "Aurora", "Quantum", "Vector", "Helix", "Orbit", "Catalyst", "Meridian",
    "Granite", "Birch",
]
SYLLABLES = [
    "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ba", "de", "fi", "go", "hu", "ja", "ko",
    "li", "mo", "nu", "pa", "re", "si", "tu", "ve", "zo",
]
# The same for demo articles in Russian: Russian topic words in their inflected forms, so that
# the Russian search configuration has stems to find.
TOPIC_WORDS_RU = [
    "инновации", "инновационных", "исследования", "исследований", "кластер", "кластеры",
    "кластеров", "технологии", "технологий", "университет", "университеты", "лаборатория",
    "лаборатории", "медицина", "энергетика", "материалы", "образование", "студенты",
    "инвестиции", "инвесторов", "экспорт", "платформа", "соглашение", "грант", "территория",
    "регион", "Томск", "Томская", "Сибирь", "наука", "науки", "промышленность", "производство",
]
SYLLABLES_RU = [
    "ка", "ло", "ми", "не", "ру", "са", "то", "ви", "ба", "де", "фи", "го", "ху", "жа", "ко",
    "ли", "мо", "ну", "па", "ре", "си", "ту", "ве", "зо",
]
# How the demo articles are written: most in English, some in Russian only, some in both.
LANGUAGE_WEIGHTS = {("en",): 50, ("ru",): 25, ("en", "ru"): 25}
# fmt: on
CITIES = ["Tomsk", "Tomsk", "Tomsk", "Seversk", "Novosibirsk", "Moscow", "Kemerovo"]

# Roughly how often each kind occurs among real participants.
KIND_WEIGHTS = {
    Stakeholder.Kind.COMPANY: 40,
    Stakeholder.Kind.RESEARCH_INSTITUTE: 15,
    Stakeholder.Kind.UNIVERSITY: 10,
    Stakeholder.Kind.FOUNDATION: 8,
    Stakeholder.Kind.ASSOCIATION: 8,
    Stakeholder.Kind.INTERNATIONAL: 7,
    Stakeholder.Kind.REGIONAL_AUTHORITY: 5,
    Stakeholder.Kind.FEDERAL_AGENCY: 4,
    Stakeholder.Kind.FEDERAL_MINISTRY: 3,
}
STATUS_WEIGHTS = {
    Project.Status.IN_PROGRESS: 50,
    Project.Status.COMPLETED: 30,
    Project.Status.PLANNED: 20,
}


class DemoText:
    """Words, paragraphs, days, picks, kinds and statuses drawn from ``rng``.

    The same seed gives the same content: every draw is made in the order the command asks.
    """

    def __init__(self, rng):
        self.rng = rng
        self.vocabularies = {
            "en": self.make_vocabulary(3000),
            "ru": self.make_vocabulary(3000, SYLLABLES_RU, TOPIC_WORDS_RU),
        }

    def make_vocabulary(self, size, syllables=SYLLABLES, topic_words=TOPIC_WORDS):
        """Made-up words with Zipf-like weights, plus the topic words at TOPIC_SHARE."""
        made_up = set()
        while len(made_up) < size:
            made_up.add("".join(self.rng.choices(syllables, k=self.rng.randint(2, 4))))
        made_up = sorted(made_up)
        self.rng.shuffle(made_up)
        zipf = [1 / rank for rank in range(1, size + 1)]
        topic = sum(zipf) * TOPIC_SHARE / (1 - TOPIC_SHARE) / len(topic_words)
        weights = zipf + [topic] * len(topic_words)
        return made_up + topic_words, list(itertools.accumulate(weights))

    def words(self, low, high, language="en"):
        vocabulary, cum_weights = self.vocabularies[language]
        count = self.rng.randint(low, high)
        return " ".join(self.rng.choices(vocabulary, cum_weights=cum_weights, k=count))

    def paragraph(self, language="en"):
        sentences = [
            self.words(8, 16, language).capitalize() + "." for _i in range(self.rng.randint(3, 6))
        ]
        return " ".join(sentences)

    def day(self):
        start = date(FIRST_YEAR, 1, 1)
        return start + timedelta(days=self.rng.randrange((date(LAST_YEAR, 12, 31) - start).days))

    def pick(self, pool, low, high):
        return self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))

    def kind(self):
        """A kind of participant, as often as among real ones."""
        return self.rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]

    def status(self):
        """A project status, as often as among real projects."""
        return self.rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]

    def article_texts(self, n):
        """The titles, leads, bodies and sources of demo article ``n`` in its languages."""
        (languages,) = self.rng.choices(
            list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values())
        )
        texts = {}
        for code in languages:
            label = "[Demo]" if code == "en" else "[Демо]"
            paragraphs = (self.paragraph(code) for _i in range(self.rng.randint(3, 6)))
            texts |= {
                f"title_{code}": f"{label} {self.words(4, 9, code).capitalize()} ({n:06})",
                f"lead_{code}": self.paragraph(code),
                f"body_{code}": "\n\n".join(paragraphs),
                f"source_{code}": "Synthetic demo content (seed_demo)"
                if code == "en"
                else "Синтетические демонстрационные данные (seed_demo)",
            }
        return texts
