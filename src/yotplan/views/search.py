"""Searching the plans' text: every recommendation and action whose fields hold all the words of a query.

A word matches anywhere in a field, inside longer words too (`camhs` finds "CAMHS-led"), and the
words of a query may match in different fields of the same item. Text is compared folded, so
that what was typed matches what was pasted from a report:

- case is folded (`str.casefold`: `STRASSE` finds "Straße");
- accents and compatibility forms are ignored (`cafe` finds "café", `fi` finds the "ﬁ" ligature);
- curly quotes are straight ones (`children's` finds "children’s", and the other way round);
- hyphens, dashes and runs of white space are all one separator (`out-of-court` finds
  "Out of Court" and `out of court`'s words find "out-of-court"; `camhs-lead` finds "CAMHS lead");
- soft hyphens and zero-width characters are ignored.

Offsets (`start`, `end`, marks) always point into the field's original text. Nothing here prints.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from yotplan.plans.models import Action, Owner
from yotplan.plans.planset import PlanSet, RecommendationRef
from yotplan.views.queries import Filters, Plans, plan_sets

Kind = Literal["recommendation", "action"]

SNIPPET_WHOLE = 100
"""A field this short (or shorter) is shown whole."""
SNIPPET_BEFORE = 30
"""Characters of context shown before the first match (cut back to a word boundary)."""
SNIPPET_AFTER = 45
"""Characters of context shown after the first match (or after a later match, up to SNIPPET_MAX)."""
SNIPPET_MAX = 110
"""A later match is brought into the snippet only if it ends within this many characters of the first."""
ELLIPSIS = "…"

_SEPARATORS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
_IGNORED = frozenset("\u00ad\u034f\u180e\u200b\u200c\u200d\u2060\ufeff")
_QUOTES = {**dict.fromkeys("‘’‚‛′", "'"), **dict.fromkeys("“”„‟″", '"')}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One item that holds every word, shown by one of its fields."""

    id: str
    kind: Kind
    recommendation: str
    """The recommendation's id: the item's own for a recommendation, its parent's for an action."""
    source: str
    field: str
    """The field shown: the first holding every word, else the first where the first word matched."""
    fields: tuple[str, ...]
    """Every field where any word matched, in the item's field order."""
    text: str
    """The shown field's full text, as in the plan."""
    start: int
    end: int
    """The first (leftmost) match in `text`: `text[start:end]`."""
    snippet: str
    """The first match with some context, on one line, cut at word boundaries with "…"."""
    marks: tuple[tuple[int, int], ...]
    """Where the words matched in `snippet` (start, end), in order, not overlapping."""
    service: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "recommendation": self.recommendation,
            "source": self.source,
            "field": self.field,
            "fields": list(self.fields),
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "snippet": self.snippet,
            "service": self.service,
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    words: tuple[str, ...]
    """The query's words, folded."""
    hits: list[SearchHit]

    @property
    def actions(self) -> int:
        return sum(h.kind == "action" for h in self.hits)

    @property
    def recommendations(self) -> int:
        return sum(h.kind == "recommendation" for h in self.hits)


def query_words(texts: Sequence[str]) -> tuple[str, ...]:
    """The words of a query (split at white space), folded, each once; empty when there is nothing to find."""
    words = (fold(word) for text in texts for word in text.split())
    return tuple(dict.fromkeys(w for w in words if w))


def search_plans(plans: Plans, query: Sequence[str], filters: Filters = Filters()) -> SearchResult:
    """Every recommendation and action (after `filters`) whose fields hold all the words of `query`
    (as typed: one or more texts), in plan order, service after service. `--owner` keeps the
    items that owner owns.
    """
    words = query_words(query)
    hits: list[SearchHit] = []
    if not words:
        return SearchResult(words, hits)
    for plan_set in plan_sets(plans):
        hits += _search_service(plan_set, words, filters)
    return SearchResult(words, hits)


def _search_service(plans: PlanSet, words: tuple[str, ...], filters: Filters) -> list[SearchHit]:
    hits: list[SearchHit] = []
    owners = _Owners(plans.owners)
    for ref in plans.recommendations():
        if not filters.matches_source(ref):
            continue
        rec = ref.recommendation
        if filters.matches_owner(rec.owner):
            owner = owners.get(rec.owner)
            if _may_hold(words, (rec.id, rec.text, rec.to or ""), owner.folded):
                fields = [("id", rec.id), ("text", rec.text), *([("to", rec.to)] if rec.to else [])]
                found = _match(words, fields + owner.fields)
                if found:
                    hits.append(_hit(ref, rec.id, "recommendation", found))
        for action in rec.actions:
            if filters.matches_owner(action.owner):
                owner = owners.get(action.owner)
                if _may_hold(words, _action_texts(action), owner.folded):
                    found = _match(words, _action_fields(action) + owner.fields)
                    if found:
                        hits.append(_hit(ref, action.id, "action", found))
    return [replace(hit, service=plans.service) for hit in hits]


# Folding ----------------------------------------------------------------------------------


def fold(text: str) -> str:
    """`text` as it is compared: see the module's docstring. ASCII text (almost all) takes a fast path."""
    if text.isascii():
        return " ".join(text.lower().replace("-", " ").split())
    return fold_with_offsets(text)[0]


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """`fold(text)`, and for each of its characters the index in `text` of the character it came from."""
    out: list[str] = []
    where: list[int] = []
    gap = False
    for i, char in enumerate(text):
        if char.isspace() or char in _SEPARATORS:
            gap = bool(out)  # one separator between words; none at the start or the end
            continue
        folded = _fold_char(char)
        if not folded:
            continue
        if gap:
            out.append(" ")
            where.append(i)
            gap = False
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _IGNORED:
        return ""
    if char in _QUOTES:
        return _QUOTES[char]
    if char.isascii():
        return char.lower()
    decomposed = unicodedata.normalize("NFKD", char)
    # A spacing accent (¨ is a space and a combining diaeresis) leaves nothing, like a combining one.
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


# Matching ---------------------------------------------------------------------------------

Field = tuple[str, str]
"""A field's name (`title`, `update 2022-05-06`, `evidence 1`, `owner role`) and its text."""


@dataclass(frozen=True, slots=True)
class _OwnerFields:
    fields: list[Field]
    folded: str
    """The fields' text folded as one string (NUL between fields), for `_may_hold`."""


class _Owners:
    """Each owner's fields (key, role, agency) and their folded text, worked out once per search."""

    def __init__(self, owners: dict[str, Owner]) -> None:
        self._owners = owners
        self._cache: dict[str, _OwnerFields] = {}

    def get(self, key: str | None) -> _OwnerFields:
        if not key:
            return _NO_OWNER
        if key not in self._cache:
            owner = self._owners.get(key)
            fields = [("owner", key)]
            if owner:
                fields += [("owner role", owner.role), ("owner agency", owner.agency)]
            self._cache[key] = _OwnerFields(fields, fold("\0".join(text for _, text in fields)))
        return self._cache[key]


_NO_OWNER = _OwnerFields([], "")


def _action_texts(action: Action) -> list[str]:
    return [action.id, action.title, action.measure or "", *(u.note for u in action.updates), *action.evidence]


def _action_fields(action: Action) -> list[Field]:
    fields = [("id", action.id), ("title", action.title)]
    if action.measure:
        fields.append(("measure", action.measure))
    fields += [(f"update {u.date.isoformat()}", u.note) for u in action.updates]
    fields += [(f"evidence {n}", quote) for n, quote in enumerate(action.evidence, 1)]
    return fields


def _may_hold(words: tuple[str, ...], texts: Sequence[str], owner_folded: str) -> bool:
    """Whether every word is in the texts or the owner's: a quick answer, on one string per item,
    that is no for most items. A word cannot span the NUL put between texts (a command line cannot
    hold one, and plans refuse them)."""
    joined = "\0".join(texts)
    lowered = joined.lower() if joined.isascii() else None
    folded = None
    for word in words:
        if word in owner_folded:
            continue
        if lowered is not None:
            # In ASCII text folding only lowers case and merges separators: a word without one is
            # found in the lowered text as it is, and a word with one only if each of its parts is.
            if " " not in word:
                if word not in lowered:
                    return False
                continue
            if any(part not in lowered for part in word.split(" ")):
                return False
        if folded is None:
            folded = fold(joined)
        if word not in folded:
            return False
    return True


@dataclass(frozen=True, slots=True)
class _Found:
    field: str
    fields: tuple[str, ...]
    text: str
    spans: tuple[tuple[int, int], ...]
    """Every match of a word in `text`, leftmost first."""


def _match(words: tuple[str, ...], fields: list[Field]) -> _Found | None:
    """The field to show (the first holding every word, else the first holding the first word), every
    field holding a word, and the matches in the one shown; None when a word is in no field."""
    holding = [[w for w in words if w in folded] for folded in (fold(text) for _, text in fields)]
    if not all(any(w in h for h in holding) for w in words):
        return None
    shown = next((i for i, h in enumerate(holding) if len(h) == len(words)), None)
    if shown is None:
        shown = next(i for i, h in enumerate(holding) if words[0] in h)
    name, text = fields[shown]
    return _Found(name, tuple(fields[i][0] for i, h in enumerate(holding) if h), text, _spans(text, holding[shown]))


def _spans(text: str, words: list[str]) -> tuple[tuple[int, int], ...]:
    """Every occurrence of each word in `text`, as (start, end) in the original text, leftmost first."""
    spans: set[tuple[int, int]] = set()
    if text.isascii():  # the words found in it are ASCII too; a pattern finds them 20 times faster
        for word in words:
            spans.update(m.span() for m in _ascii_pattern(word).finditer(text))
    else:
        folded, where = fold_with_offsets(text)
        for word in words:
            at = folded.find(word)
            while at >= 0:
                spans.add((where[at], where[at + len(word) - 1] + 1))
                at = folded.find(word, at + 1)
    return tuple(sorted(spans, key=lambda s: (s[0], -s[1])))


@lru_cache(maxsize=256)
def _ascii_pattern(word: str) -> re.Pattern[str]:
    """A folded ASCII word as a pattern over unfolded ASCII text: any case, any run of separators."""
    return re.compile(r"[\s-]+".join(re.escape(part) for part in word.split(" ")), re.IGNORECASE)


def _hit(ref: RecommendationRef, item_id: str, kind: Kind, found: _Found) -> SearchHit:
    snippet, marks = make_snippet(found.text, found.spans)
    start, end = found.spans[0]
    return SearchHit(
        id=item_id,
        kind=kind,
        recommendation=ref.recommendation.id,
        source=ref.source_id,
        field=found.field,
        fields=found.fields,
        text=found.text,
        start=start,
        end=end,
        snippet=snippet,
        marks=marks,
    )


# Snippets ---------------------------------------------------------------------------------


def make_snippet(text: str, spans: Sequence[tuple[int, int]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The first span with some context, on one line, cut at word boundaries with "…"; and the spans
    that fall inside it, merged, as offsets into the snippet. `spans` are sorted, the first first."""
    first_start, first_end = spans[0]
    reach = max((end for _, end in spans if end <= first_start + SNIPPET_MAX), default=first_end)
    if len(text) <= SNIPPET_WHOLE:
        begin, stop = len(text) - len(text.lstrip()), len(text.rstrip())
    else:
        begin = _cut_start(text, max(0, first_start - SNIPPET_BEFORE), first_start)
        stop = _cut_end(text, min(len(text), max(first_end + SNIPPET_AFTER, reach)), reach)
    marks = _merge([(max(s, begin), min(e, stop)) for s, e in spans if s < stop and e > begin])
    pieces: list[tuple[str, bool]] = []
    at = begin
    for s, e in marks:
        pieces += [(text[at:s], False), (text[s:e], True)]
        at = e
    pieces.append((text[at:stop], False))
    snippet = ELLIPSIS if text[:begin].strip() else ""  # white space around the text is not cut text
    snippet_marks = []
    for piece, marked in pieces:
        piece = _SPACE.sub(" ", piece)
        if marked:
            snippet_marks.append((len(snippet), len(snippet) + len(piece)))
        snippet += piece
    if text[stop:].strip():
        snippet += ELLIPSIS
    return snippet, tuple(snippet_marks)


def _cut_start(text: str, at: int, keep: int) -> int:
    """`at` moved forward to the start of a word, not past `keep`; in a word longer than the
    context (a link), the word is cut."""
    if at > 0 and not text[at - 1].isspace():
        word_end = at
        while word_end < keep and not text[word_end].isspace():
            word_end += 1
        if word_end < keep:
            at = word_end
    while at < keep and text[at].isspace():
        at += 1
    return at


def _cut_end(text: str, at: int, keep: int) -> int:
    """`at` moved back to the end of a word, not before `keep`; or, when the word it cuts holds
    `keep`, forward to that word's end (up to SNIPPET_AFTER characters more, then the word is cut)."""
    if 0 < at < len(text) and not text[at].isspace() and not text[at - 1].isspace():
        back = at
        while back > keep and not text[back - 1].isspace():
            back -= 1
        if back > keep:
            at = back
        else:
            limit = min(len(text), at + SNIPPET_AFTER)
            while at < limit and not text[at].isspace():
                at += 1
    while at > keep and text[at - 1].isspace():
        at -= 1
    return at


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
