"""The built-in enums of the content contract, with their English labels.

Enum *values* are part of the public contract (forks write them in YAML).
Labels are interface text and can be translated (see ``i18n``).
"""

from __future__ import annotations

from enum import StrEnum


def _enum(name: str, labels: dict[str, str]) -> type[StrEnum]:
    members = {value.replace("-", "_").upper(): value for value in labels}
    cls = StrEnum(name, members)  # type: ignore[misc]  # the enum's name is made, not written
    cls.labels = labels  # type: ignore[attr-defined]
    return cls


POLICY_AREA_LABELS = {
    "agriculture-food": "Agriculture and food",
    "arts-culture": "Arts and culture",
    "community-development": "Community development",
    "disaster-resilience": "Disaster resilience",
    "economic-development": "Economic development",
    "education": "Education",
    "energy": "Energy",
    "environment": "Environment",
    "governance": "Governance",
    "health": "Health",
    "housing": "Housing",
    "human-rights": "Human rights",
    "justice-safety": "Justice and safety",
    "labor-employment": "Labor and employment",
    "migration": "Migration",
    "science-technology": "Science and technology",
    "social-welfare": "Social welfare",
    "transportation": "Transportation",
    "water-sanitation": "Water and sanitation",
    "other": "Other",
}

PARTNER_TYPE_LABELS = {
    "local-government": "Local government",
    "regional-government": "Regional government",
    "national-government": "National government",
    "public-agency": "Public agency",
    "intergovernmental": "Intergovernmental body",
    "nonprofit": "Nonprofit",
    "community-group": "Community group",
    "faith-based": "Faith-based organization",
    "labor-union": "Labor union",
    "social-enterprise": "Social enterprise",
    "business": "Business",
    "business-association": "Business association",
    "academia": "Academia",
    "school": "School",
    "philanthropy": "Philanthropy",
    "health-provider": "Health provider",
    "media": "Media",
    "individual": "Individual",
    "other": "Other",
}

SECTOR_LABELS = {
    "government": "Government",
    "civil-society": "Civil society",
    "private": "Private sector",
    "education-research": "Education and research",
    "philanthropy": "Philanthropy",
    "public-services": "Public services",
    "other": "Other",
}

SECTOR_OF_PARTNER_TYPE = {
    "local-government": "government",
    "regional-government": "government",
    "national-government": "government",
    "public-agency": "government",
    "intergovernmental": "government",
    "nonprofit": "civil-society",
    "community-group": "civil-society",
    "faith-based": "civil-society",
    "labor-union": "civil-society",
    "social-enterprise": "civil-society",
    "business": "private",
    "business-association": "private",
    "academia": "education-research",
    "school": "education-research",
    "philanthropy": "philanthropy",
    "health-provider": "public-services",
    "media": "other",
    "individual": "other",
    "other": "other",
}

PARTNER_ROLE_LABELS = {
    "convener": "Convener",
    "backbone": "Backbone organization",
    "funder": "Funder",
    "implementer": "Implementer",
    "advisor": "Advisor",
    "champion": "Champion",
    "member": "Member",
    "evaluator": "Evaluator",
    "other": "Other",
}

ALLIANCE_FORM_LABELS = {
    "informal-network": "Informal network",
    "coalition": "Coalition",
    "collective-impact": "Collective impact initiative",
    "public-private-partnership": "Public-private partnership",
    "multi-stakeholder-platform": "Multi-stakeholder platform",
    "co-governance-body": "Co-governance body",
    "consortium": "Consortium",
    "joint-venture": "Joint venture",
    "other": "Other",
}

SCOPE_LABELS = {
    "neighbourhood": "Neighbourhood",
    "city": "City",
    "metropolitan": "Metropolitan",
    "regional": "Regional",
    "national": "National",
    "multinational": "Multinational",
    "global": "Global",
}

LESSON_KIND_LABELS = {
    "principle": "Principle",
    "practice": "Practice",
    "challenge": "Challenge",
    "measurement": "Measurement",
}

STATUS_LABELS = {"draft": "Draft", "published": "Published"}

FIELD_TYPE_LABELS = {
    "text": "Short text",
    "longtext": "Long text",
    "number": "Number",
    "date": "Date",
    "yesno": "Yes / no",
    "choice": "One choice",
    "multichoice": "Several choices",
    "scale": "Scale",
}

LAYOUT_LABELS = {"table": "Table (one row per item)", "form": "Form (one record)"}
CHART_TYPE_LABELS = {"quadrant": "Quadrant", "bars": "Bars"}

PolicyArea = _enum("PolicyArea", POLICY_AREA_LABELS)
PartnerType = _enum("PartnerType", PARTNER_TYPE_LABELS)
PartnerRole = _enum("PartnerRole", PARTNER_ROLE_LABELS)
AllianceForm = _enum("AllianceForm", ALLIANCE_FORM_LABELS)
Scope = _enum("Scope", SCOPE_LABELS)
LessonKind = _enum("LessonKind", LESSON_KIND_LABELS)
Status = _enum("Status", STATUS_LABELS)
FieldType = _enum("FieldType", FIELD_TYPE_LABELS)
Layout = _enum("Layout", LAYOUT_LABELS)
ChartType = _enum("ChartType", CHART_TYPE_LABELS)

#: Enums a worksheet's ``options`` may name, by their contract name.
BUILTIN_ENUMS: dict[str, dict[str, str]] = {
    "policy_area": POLICY_AREA_LABELS,
    "partner_type": PARTNER_TYPE_LABELS,
    "partner_role": PARTNER_ROLE_LABELS,
    "alliance_form": ALLIANCE_FORM_LABELS,
    "scope": SCOPE_LABELS,
    "sector": SECTOR_LABELS,
}

#: Human names used in error messages ("... is not a partner type").
ENUM_NOUNS = {
    "PolicyArea": "policy area",
    "PartnerType": "partner type",
    "PartnerRole": "partner role",
    "AllianceForm": "alliance form",
    "Scope": "scope",
    "LessonKind": "lesson kind",
    "Status": "status",
    "FieldType": "field type",
    "Layout": "layout",
    "ChartType": "chart type",
}
