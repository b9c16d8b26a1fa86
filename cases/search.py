"""Name search tolerant of scripts, spelling and transliteration variants.

Names are transliterated to ASCII and normalised with OpenSanctions'
`normality`; each token also gets its Metaphone key (`rigour`), and the whole
name is also kept without spaces (`王建国` → `wangjianguo` = `Wang Jianguo`).
Those keys are stored in `Case.search_text` and found with core PostgreSQL
full-text search (no extension needed); the candidates, already limited to
what the user may see, are ranked in Python with `rapidfuzz`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from normality import normalize
from rapidfuzz import fuzz
from rigour.text import metaphone

from cases.models import Case, CaseQuerySet

_KEY = re.compile(r"^[a-z0-9]+$")
MIN_SCORE = 70.0
PHONETIC_SCORE = 88.0


def normal(text: str) -> str:
    """Lower-case ASCII words: 'Мухаммад Ибрагимов' → 'muhammad ibragimov'."""
    return normalize(text, ascii=True, lowercase=True) or ""


def _phonetic(token: str) -> str:
    key = metaphone(token) if token.isalpha() else ""
    return f"ph{key.lower()}" if key else ""


def keys(text: str) -> set[str]:
    """Search keys for one name or phrase."""
    words = normal(text).split()
    found = set(words)
    found.update(filter(None, (_phonetic(w) for w in words)))
    if len(words) > 1:
        joined = "".join(words)
        found.add(joined)
        if joined.isalpha():
            found.add(_phonetic(joined))
    return {k for k in found if _KEY.match(k)}


def search_text(texts: Iterable[str]) -> str:
    collected: set[str] = set()
    for text in texts:
        if text:
            collected |= keys(text)
    return " ".join(sorted(collected))


def case_search_text(case: Case) -> str:
    names: list[str] = [case.reference, case.title]
    for subject in case.subjects.all():
        names.append(subject.name)
        names.extend(subject.aliases)
    return search_text(names)


def _similarity(query: str, name: str) -> float:
    q, n = normal(query), normal(name)
    if not q or not n:
        return 0.0
    score = max(
        fuzz.token_sort_ratio(q, n),
        fuzz.ratio(q.replace(" ", ""), n.replace(" ", "")),
        fuzz.partial_token_set_ratio(q, n) if len(q) >= 4 else 0.0,
    )
    q_ph = {_phonetic(w) for w in q.split()} - {""}
    n_ph = {_phonetic(w) for w in n.split()} | {_phonetic(n.replace(" ", ""))}
    if q_ph and q_ph <= n_ph:
        score = max(score, PHONETIC_SCORE)
    return float(score)


@dataclass
class Hit:
    case: Case
    score: float
    matched: str


def search_cases(visible: CaseQuerySet, query: str, limit: int = 50) -> list[Hit]:
    """Rank the cases of `visible` (an access-filtered queryset) against `query`."""
    query_keys = keys(query)
    if not query_keys:
        return []
    tsquery = SearchQuery(" | ".join(sorted(query_keys)), search_type="raw", config="simple")
    candidates = (
        visible.annotate(_sv=SearchVector("search_text", config="simple"))
        .filter(_sv=tsquery)
        .prefetch_related("subjects")[:500]
    )
    hits = []
    for case in candidates:
        # Names are scored for similarity; a reference only matches exactly, since
        # references of one authority and year share most of their tokens.
        names = [case.title]
        for subject in case.subjects.all():
            names.append(subject.name)
            names.extend(subject.aliases)
        score, matched = max(((_similarity(query, n), n) for n in names if n), default=(0.0, ""))
        if case.reference.lower() == query.strip().lower():
            score, matched = 100.0, case.reference
        if score >= MIN_SCORE:
            hits.append(Hit(case, score, matched))
    hits.sort(key=lambda h: (-h.score, h.case.reference))
    return hits[:limit]
