"""Realistic synthetic content for the benchmarks.

``make_project(dest, n)`` copies the seed project (mkdocs.yml, the guide,
phases, worksheets, steps, lessons, the 3 seed case studies), adds steps and
lessons until there are 24 steps and 20 lessons, and writes case studies until
there are ``n`` in all. Every synthetic case has 3 to 12 partners, metrics and
qualitative outcomes, feedback, 2 to 4 of the 20 lessons (popular ones more
often, as in real collections), applied steps, tags, sometimes sources and
wiki links, and 600 to 1,200 words. Output is deterministic for a given ``n``
and seed, and valid per /work/shared/design/content-model.md (``run.py``
checks every project with ``alliance check`` before timing anything).

Usage: python benchmarks/synth.py N DEST [--seed S]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

from alliance_playbook.yamlwrite import dump_yaml

ROOT = Path(__file__).resolve().parent.parent
VERSION = "3"  # bump when the output changes, so cached projects are rebuilt

POLICY_AREAS = [
    "agriculture-food", "arts-culture", "community-development", "disaster-resilience", "economic-development",
    "education", "energy", "environment", "governance", "health", "housing", "human-rights", "justice-safety",
    "labor-employment", "migration", "science-technology", "social-welfare", "transportation", "water-sanitation",
]
FORMS = ["informal-network", "coalition", "collective-impact", "public-private-partnership",
         "multi-stakeholder-platform", "co-governance-body", "consortium", "joint-venture"]
SCOPES = ["neighbourhood", "city", "metropolitan", "regional", "national", "multinational"]
ROLES = ["convener", "backbone", "funder", "implementer", "advisor", "champion", "member", "evaluator"]
# (partner type, name patterns); {place} is the city or region.
PARTNERS = [
    ("local-government", ["{place} city council", "{place} department of {topic}", "{place} district office"]),
    ("regional-government", ["{region} regional authority", "{region} provincial {topic} office"]),
    ("national-government", ["Ministry of {Topic}", "National {topic} programme"]),
    ("public-agency", ["{place} water utility", "{place} transit agency", "Public {topic} agency"]),
    ("nonprofit", ["{place} {topic} trust", "Friends of {place}", "{Topic} action network", "{place} legal aid centre"]),
    ("community-group", ["{place} residents' association", "{place} tenants' union", "Neighbourhood {topic} circle"]),
    ("faith-based", ["{place} interfaith council", "St Mary's outreach ministry"]),
    ("labor-union", ["{place} workers' union", "{Topic} workers' federation"]),
    ("social-enterprise", ["{place} repair cooperative", "{Topic} works social enterprise"]),
    ("business", ["{place} port operator", "{Topic} Solutions Ltd", "{place} grocery cooperative"]),
    ("business-association", ["{place} chamber of commerce", "{region} small business network"]),
    ("academia", ["University of {place}", "{place} institute of {topic} research"]),
    ("school", ["{place} secondary school", "{place} vocational college"]),
    ("philanthropy", ["{place} community foundation", "{Topic} futures fund"]),
    ("health-provider", ["{place} community health centre", "{place} general hospital"]),
    ("media", ["{place} community radio", "The {place} Courier"]),
    ("individual", ["Independent facilitator", "Retired city planner"]),
]
PLACES = [
    ("NL", "South Holland", "Rotterdam"), ("FR", "Auvergne-Rhône-Alpes", "Lyon"), ("KE", "Nairobi County", "Nairobi"),
    ("BR", "Pernambuco", "Recife"), ("IN", "Maharashtra", "Pune"), ("US", "Colorado", "Denver"),
    ("CA", "Manitoba", "Winnipeg"), ("JP", "Osaka Prefecture", "Osaka"), ("ZA", "KwaZulu-Natal", "Durban"),
    ("MX", "Puebla", "Puebla"), ("DE", "Saxony", "Leipzig"), ("ES", "Valencian Community", "València"),
    ("GB", "West Yorkshire", "Leeds"), ("AU", "South Australia", "Adelaide"), ("CO", "Antioquia", "Medellín"),
    ("PH", "Central Visayas", "Cebu"), ("GH", "Ashanti", "Kumasi"), ("ID", "East Java", "Surabaya"),
    ("PE", "Arequipa", "Arequipa"), ("SE", "Skåne", "Malmö"), ("IT", "Emilia-Romagna", "Bologna"),
    ("PL", "Pomerania", "Gdańsk"), ("TZ", "Arusha Region", "Arusha"), ("BD", "Khulna Division", "Khulna"),
]
TOPICS = {
    "agriculture-food": "food", "arts-culture": "culture", "community-development": "community",
    "disaster-resilience": "resilience", "economic-development": "enterprise", "education": "education",
    "energy": "energy", "environment": "environment", "governance": "governance", "health": "health",
    "housing": "housing", "human-rights": "rights", "justice-safety": "safety", "labor-employment": "employment",
    "migration": "newcomer", "science-technology": "technology", "social-welfare": "welfare",
    "transportation": "transport", "water-sanitation": "water",
}
TITLE_FORMS = [
    "{Place} {topic} alliance", "A shared {topic} table in {place}", "{Place}'s {topic} partnership",
    "Joining up {topic} services in {place}", "{Place} {topic} coalition: from pilot to policy",
    "Neighbours, business and the council on {topic} in {place}", "{Topic} together: the {place} compact",
]
TAGS = [
    "air quality", "urban greening", "youth", "older people", "data sharing", "participatory budgeting",
    "co-design", "flood risk", "heat waves", "literacy", "school meals", "affordable housing", "homelessness",
    "public transport", "cycling", "renewable energy", "energy poverty", "clean water", "sanitation",
    "refugees", "language learning", "employment", "apprenticeships", "small business", "tourism",
    "cultural heritage", "community safety", "mental health", "primary care", "digital inclusion",
    "open data", "procurement", "circular economy", "food waste", "urban farming", "conflict resolution",
    "facilitation", "role clarity", "evaluation", "scaling up",
]
SENTENCES = [
    "{a} and {b} had worked on {topic} for years, but rarely in the same room.",
    "Each organization held part of the picture: {a} had the data, {b} had the trust of residents.",
    "Funding came in short cycles, so projects ended just as they began to work.",
    "Residents of {place} described the services as a maze of forms, offices and waiting lists.",
    "By {year} the problem had become visible in the local press and in council debates.",
    "Earlier attempts at cooperation had stalled over who would lead and who would pay.",
    "Smaller groups felt that larger partners set the agenda before meetings began.",
    "Nobody disputed the goal; the disagreements were about pace, credit and control.",
    "The first months went into listening sessions in libraries, schools and market halls.",
    "Partners agreed a one-page charter that named the shared goal, the decision rules and how to leave.",
    "{a} acted as convener and hosted a small backbone team of two coordinators.",
    "A monthly check-in rotated between partners' offices, so no venue belonged to one side.",
    "Data from {b} and {a} were combined in one open dashboard that every partner could read.",
    "Volunteers from {b} ran door-to-door visits, while {a} changed its own procedures.",
    "Decisions needed the consent of every core partner; funders had a voice but no veto.",
    "After a difficult first year the partners brought in a neutral facilitator for two workshops.",
    "Roles were written down in a table and reviewed whenever a partner joined or left.",
    "Progress was reported twice a year to residents in an open meeting with an interpreter.",
    "The alliance piloted the approach in two districts of {place} before extending it.",
    "An evaluation by {c} combined interviews with partners and a simple before-and-after survey.",
    "Small grants of a few thousand euros let community groups take part without losing income.",
    "Staff turnover at {a} slowed the work for several months, until a deputy lead was named.",
    "Working together changed how partners described the problem in their own plans.",
    "The alliance kept a short register of risks and reviewed it at each quarterly meeting.",
    "{b} trained its staff to refer people to partners instead of sending them away.",
    "Shared outcome measures replaced the separate reports each funder used to require.",
    "A joint communications plan meant one message, one logo and one contact point for the public.",
    "The partners agreed to publish their minutes, which built trust with sceptical residents.",
    "When a major funder withdrew, the alliance survived because costs were already shared.",
    "Local businesses joined once they could see a concrete benefit for their customers.",
    "Young people sat on the steering group with the same vote as the directors.",
    "The work in {place} is now cited in the regional {topic} strategy.",
]
METRICS = [
    ("Households reached each year", "households", 200, 3000), ("Share of residents who trust local services", "%", 20, 80),
    ("Average waiting time for a first appointment", "days", 5, 60), ("Tonnes of CO2 avoided per year", "t CO2/year", 100, 9000),
    ("Young people in training or work", "people", 30, 900), ("Days above the air-quality limit", "days/year", 5, 60),
    ("Homes retrofitted", "homes", 20, 1500), ("Share of partners rating roles as clear", "%", 25, 95),
    ("Litres of water lost per connection per day", "l/connection/day", 50, 400), ("Volunteer hours per month", "hours", 100, 4000),
]
QUALITATIVE = [
    "Partners now plan their budgets together before the financial year starts",
    "Residents were invited to co-design the second phase",
    "The council changed its procurement rules to favour local cooperatives",
    "Two partners who had been in dispute now run a joint service",
    "The approach was adopted by a neighbouring municipality",
    "Community groups report being heard in decisions for the first time",
]
QUOTES = [
    ("We stopped arguing about whose numbers were right once we shared one dashboard.", "Data officer, {a}"),
    ("For the first time the council came to us instead of asking us to come to them.", "Chair, {b}"),
    ("The charter was one page long, and we read it out at every meeting for a year.", "Coordinator, backbone team"),
    ("It was slower than doing it alone, but it lasted.", "Director, {a}"),
    ("Our volunteers finally felt like partners, not free labour.", "Volunteer lead, {b}"),
    ("Having a neutral facilitator let us say the hard things early.", "Programme manager, {c}"),
]
EXTRA_STEPS = {
    "identify-partners": ["Scan existing alliances nearby", "Hold a first convening", "Agree who convenes"],
    "collaborate": ["Set up a backbone team", "Pool data in one place", "Plan joint communications"],
    "navigate-challenges": ["Write decision rules", "Plan for partner turnover", "Share costs fairly"],
    "measure-success": ["Choose shared indicators", "Report back to residents", "Commission an evaluation"],
}
EXTRA_LESSONS = [
    ("Shared data settles arguments", "principle"), ("Small grants buy real participation", "practice"),
    ("A neutral convener lowers the stakes", "practice"), ("Write the exit rules on day one", "practice"),
    ("Turnover is the silent alliance killer", "challenge"), ("Pilots earn the right to scale", "principle"),
    ("Funders follow shared outcomes", "measurement"), ("Publish minutes to earn trust", "practice"),
    ("Power gaps widen unless named", "challenge"), ("Residents are partners, not an audience", "principle"),
    ("Count what partners value, not only what funders ask", "measurement"), ("Success breeds imitation nearby", "principle"),
]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Writer:
    """Fills sentence templates for one case (its partners, place and topic)."""

    def __init__(self, rng: random.Random, names: list[str], place: str, topic: str, year: int):
        self.rng, self.names, self.place, self.topic, self.year = rng, names, place, topic, year

    def sentence(self) -> str:
        a, b, c = (self.rng.sample(self.names, 3) if len(self.names) >= 3 else (self.names * 3)[:3])
        return self.rng.choice(SENTENCES).format(a=a, b=b, c=c, place=self.place, topic=self.topic, year=self.year)

    def paragraph(self, count: int) -> str:
        text = " ".join(self.sentence() for _ in range(count))
        return text[0].upper() + text[1:]


def _steps_and_lessons(rng: random.Random, dest: Path) -> tuple[list[str], list[str]]:
    """Add steps and lessons next to the seed ones; return all step and lesson ids."""
    steps_dir, lessons_dir = dest / "content/playbook/steps", dest / "content/lessons"
    seed_steps = sorted(p.stem for p in steps_dir.glob("*.yml"))
    seed_lessons = sorted(p.stem for p in lessons_dir.glob("*.yml"))
    new_lessons = [slug(t) for t, _ in EXTRA_LESSONS]
    new_steps = [slug(t) for titles in EXTRA_STEPS.values() for t in titles]
    steps, lessons = seed_steps + new_steps, seed_lessons + new_lessons
    worksheets = sorted(p.stem for p in (dest / "content/worksheets").glob("*.yml"))
    w = Writer(rng, ["the convener", "the partners", "the coordinator"], "the city", "the shared goal", 2020)
    for phase, titles in EXTRA_STEPS.items():
        for order, title in enumerate(titles, start=4):
            items = [{"id": f"item-{i + 1}", "text": w.sentence().rstrip(".")} for i in range(rng.randint(3, 6))]
            data = {
                "title": title, "phase": phase, "order": order, "summary": w.sentence(),
                "why": w.paragraph(3) + "\n\n" + w.paragraph(2) + "\n",
                "how": "".join(f"{i}. **{w.sentence().split(',')[0].rstrip('.')}.** {w.sentence()}\n" for i in range(1, 6)),
                "duration": f"{rng.randint(1, 4)} hours", "people": "Core team of 3-6",
                "checklist": items, "key_questions": [w.sentence().rstrip(".") + "?" for _ in range(3)],
                "outputs": ["A short written record of what was agreed"],
                "worksheets": rng.sample(worksheets, 1), "lessons": rng.sample(lessons, 2),
                "related": rng.sample([s for s in steps if s != slug(title)], 2),
            }
            (steps_dir / f"{slug(title)}.yml").write_text(dump_yaml(data, "../../../plugins/alliance_playbook/schemas/step.schema.json"), encoding="utf-8")
    for title, kind in EXTRA_LESSONS:
        data = {"title": title, "kind": kind, "statement": w.sentence(),
                "body": w.paragraph(3) + "\n\n" + w.paragraph(3) + "\n", "steps": rng.sample(steps, 2)}
        (lessons_dir / f"{slug(title)}.yml").write_text(dump_yaml(data, "../../plugins/alliance_playbook/schemas/lesson.schema.json"), encoding="utf-8")
    return steps, lessons


def make_case(rng: random.Random, index: int, steps: list[str], lessons: list[str], earlier: list[str]) -> tuple[str, str]:
    """One case study: (id, YAML text) of 600 to 1,200 words."""
    areas = rng.sample(POLICY_AREAS, rng.randint(1, 3))
    topic = TOPICS[areas[0]]
    country, region, city = rng.choice(PLACES)
    fmt = {"place": city, "Place": city, "region": region, "topic": topic, "Topic": topic.capitalize()}
    title = rng.choice(TITLE_FORMS).format(**fmt)
    title = title[0].upper() + title[1:]
    case_id = f"{slug(title)[:56].strip('-')}-{index}"
    partners = []
    for _ in range(rng.randint(3, 12)):
        ptype, patterns = rng.choice(PARTNERS)
        partner = {"name": rng.choice(patterns).format(**fmt), "type": ptype, "role": rng.choice(ROLES)}
        if rng.random() < 0.8:
            partner["contribution"] = rng.choice(["Data and permits", "Volunteers and venues", "Funding for the backbone team",
                                                  "Evaluation and research", "Trusted contacts in the community", "Staff time and training"])
        partners.append(partner)
    names = [p["name"] for p in partners]
    start = rng.randint(2005, 2021)
    w = Writer(rng, names, city, topic, start)
    period = {"start": start, "ongoing": True} if rng.random() < 0.3 else {"start": start, "end": min(start + rng.randint(1, 6), 2025)}
    outcomes = []
    for indicator, unit, lo, hi in rng.sample(METRICS, rng.randint(1, 3)):
        base = rng.randint(lo, hi)
        outcomes.append({"description": f"{indicator} changed after the alliance began", "indicator": indicator,
                         "baseline": base, "result": (round(base * rng.uniform(0.3, 1.8), 1) if unit == "%" else round(base * rng.uniform(0.3, 1.8))),
                         "unit": unit, "as_of": period.get("end", 2025)})
    outcomes += [{"description": d} for d in rng.sample(QUALITATIVE, rng.randint(1, 2))]
    feedback = [{"quote": q, "source": s.format(a=names[0], b=names[1], c=names[-1])} for q, s in rng.sample(QUOTES, rng.randint(1, 3))]
    # Popular lessons are cited far more often than others, as in real collections.
    cited: list[str] = []
    count = rng.randint(2, 4)
    while len(cited) < count:
        pick = lessons[min(int(rng.paretovariate(1.2)) - 1, len(lessons) - 1) if rng.random() < 0.5 else rng.randrange(len(lessons))]
        if pick not in cited:
            cited.append(pick)
    lesson_refs: list = [{"lesson": l, "note": w.sentence()} if rng.random() < 0.6 else l for l in cited]
    applied = rng.sample(steps, rng.randint(2, 6))
    challenge = [w.paragraph(rng.randint(3, 5)) for _ in range(2)]
    approach = [w.paragraph(rng.randint(3, 5)) for _ in range(2)]
    approach.insert(1, "Key moves:\n\n" + "".join(f"- **{w.sentence().split(',')[0].rstrip('.')}.**\n" for _ in range(3)).rstrip("\n"))
    approach.append(f"The alliance followed [[step:{applied[0]}]] closely; see also [[lesson:{cited[0]}]]."
                    + (f" A similar path was taken in [[case:{rng.choice(earlier)}|another alliance]]." if earlier and rng.random() < 0.3 else ""))
    data: dict = {
        "title": title,
        "summary": f"{w.sentence()} {w.sentence()}",
        "policy_areas": areas,
        "alliance_form": rng.choice(FORMS),
        "location": {"country": country, "region": region, "city": city, "scope": rng.choice(SCOPES)},
        "period": period,
        "partners": partners,
        "challenge": "", "approach": "",
        "outcomes": outcomes,
        "feedback": feedback,
        "lessons": lesson_refs,
        "steps": applied,
        "tags": rng.sample(TAGS, rng.randint(2, 4)),
    }
    if rng.random() < 0.5:
        data["sources"] = [{"title": f"Evaluation of the {city} {topic} alliance", "url": f"https://example.org/reports/{case_id}"}]
    data["contributors"] = ["Synthetic Author"]
    data["last_reviewed"] = f"{rng.randint(2023, 2025)}-{rng.randint(1, 12):02d}-01"
    # Grow the narrative until the file reaches its word target.
    target = rng.randint(600, 1200)
    while True:
        data["challenge"] = "\n\n".join(challenge) + "\n"
        data["approach"] = "\n\n".join(approach) + "\n"
        text = dump_yaml(data, "../plugins/alliance_playbook/schemas/casestudy.schema.json")
        words = len(text.split())
        if words >= target:
            return case_id, text
        missing = target - words
        paragraph = w.paragraph(max(1, min(5, missing // 14)))
        (challenge if rng.random() < 0.4 else approach).insert(-1, paragraph)


def make_project(dest: Path, n: int, seed: int = 1) -> dict:
    """Write a project with ``n`` case studies to ``dest``; return its stats."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copytree(ROOT / "casestudies", dest / "casestudies")
    rng = random.Random(seed)
    steps, lessons = _steps_and_lessons(rng, dest)
    seed_cases = sorted(p.stem for p in (dest / "casestudies").glob("*.yml"))
    ids: list[str] = list(seed_cases)
    words = []
    for i in range(max(0, n - len(seed_cases))):
        case_id, text = make_case(rng, i + 1, steps, lessons, ids[-50:])
        (dest / "casestudies" / f"{case_id}.yml").write_text(text, encoding="utf-8")
        ids.append(case_id)
        words.append(len(text.split()))
    return {"cases": len(ids), "steps": len(steps), "lessons": len(lessons),
            "words_min": min(words, default=0), "words_max": max(words, default=0),
            "words_mean": round(sum(words) / len(words)) if words else 0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of case studies in all (the 3 seed ones included)")
    parser.add_argument("dest", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(make_project(args.dest, args.n, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
