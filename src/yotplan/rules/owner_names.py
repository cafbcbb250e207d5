"""Whether an owner reads as a person's name rather than a role: owners are roles (docs/domain.md).

A heuristic for a warning, never a judgement: "Sarah Jones", "J. Smith", "Mr Patel" and
"Sarah Jones (YOT Manager)" read as names; "Head of Service (YOT)" and "CAMHS Lead" never do.
Used by the YP206 rule and by `yotplan import`, which keeps such a lead (the plan must stay whole)
and says so.
"""

from __future__ import annotations

import re

_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "cllr", "councillor", "sir", "dame"}
_ROLE_WORDS = {
    *("head", "manager", "management", "director", "officer", "lead", "leader", "chair", "chairman", "chairperson"),
    *("team", "service", "services", "board", "council", "coordinator", "co", "ordinator", "worker", "workers"),
    *("practitioner", "nurse", "inspector", "sergeant", "police", "education", "health", "camhs", "yot", "yjs"),
    *("youth", "justice", "partnership", "partners", "panel", "analyst", "executive", "chief", "deputy"),
    *("assistant", "senior", "principal", "commissioner", "group", "all", "operations", "operational"),
    *("strategic", "safeguarding", "quality", "performance", "data", "administrator", "admin", "consultant"),
    *("advisor", "adviser", "specialist", "governor", "member", "members", "probation", "social", "school"),
    *("schools", "academy", "virtual", "representative", "unit", "department", "finance", "hr", "nhs", "trust"),
    *("authority", "local", "children", "childrens", "family", "families", "early", "help", "court", "victim"),
    *("liaison", "commissioning", "improvement", "continuous", "psychologist", "clinical", "secretary"),
    *("hospital", "college", "university", "foundation", "charity", "agency", "centre", "center", "network"),
    *("forum", "committee", "cabinet", "commission", "office", "directorate", "division", "housing", "options"),
    *("employment", "training", "careers", "skills", "substance", "misuse", "mental", "wellbeing", "community"),
    *("safety", "prevention", "public", "county", "city", "borough", "district", "regional", "region", "national"),
}
_NAME_WORD = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*")
_INITIALS_NAME = re.compile(r"(?:[A-Z]\.?\s*){1,3}\s*[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*")


def looks_like_person(lead: str) -> bool:
    """Whether a lead reads as a person's name ("Sarah Jones", "J. Smith", "Mr Patel", "Sarah Jones (YOT Manager)").

    A heuristic for a warning, not a judgement: a role such as "Head of Service" never matches.
    """
    parts = [p.strip() for p in re.split(r"[()/,;&]|\s[-–—]\s|\band\b", lead) if p.strip()]
    return any(_is_name(part) for part in parts)


def _is_name(text: str) -> bool:
    words = text.split()
    if not words:
        return False
    if len(words) >= 2 and words[0].rstrip(".").casefold() in _TITLES:
        return True
    if any(re.sub(r"[^a-z]", "", w.casefold()) in _ROLE_WORDS for w in words):
        return False
    if _INITIALS_NAME.fullmatch(text) and len(words) <= 3:
        return True
    return 2 <= len(words) <= 3 and all(_NAME_WORD.fullmatch(w) for w in words)
