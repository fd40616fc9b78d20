"""The categories a call-taker picks from, and the search that finds one while the caller talks.

A category is found by its code (`03005`), by words of its Chinese or English name, or by the
pinyin initials of its Chinese name (`ljx` → 垃圾箱异常). Callers say what they see, not the
catalogue's word: `ALIASES` adds the everyday names of a few categories (a caller says 垃圾桶,
the catalogue 垃圾箱), and their initials count too, so `ljt` finds 垃圾箱异常.

Initials come from `pypinyin` at run time, not from a table shipped with the console: the hub
owns the catalogue (`case.categories`), and a centre's own categories get initials too.

>>> litter = CategoryEntry.of("03005", "垃圾箱异常", "litter bin - abnormal", "市容环卫设施类", "Sanitation")
>>> litter.initials
'ljxyc'
>>> [e.code for e in search([litter], "ljt")], [e.code for e in search([litter], "030")]
(['03005'], ['03005'])
>>> [e.code for e in search([litter], "bin")], search([litter], "xyz")
(['03005'], [])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from protocol.events import Case

ALIASES: dict[str, tuple[str, ...]] = {
    "03005": ("垃圾桶", "果皮箱"),
    "06042": ("垃圾桶满了", "垃圾房"),
    "06010": ("垃圾",),
    "01037": ("路灯不亮",),
    "06028": ("噪音",),
    "09009": ("违停", "乱停车"),
    "09010": ("电瓶车", "自行车"),
    "10002": ("电线",),
}
"""Everyday words callers use for a category, by code (searched like its name)."""


def initials(text: str) -> str:
    """Pinyin initials of the Chinese characters of `text`, lower case (others dropped).

    >>> initials("垃圾站（箱）满溢")
    'ljzxmy'
    """
    from pypinyin import Style, lazy_pinyin  # ~0.1 s of imports, when the desk first needs a catalogue

    return "".join(part[0] for part in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")
                   if part and part[0].isalpha()).lower()


@dataclass(frozen=True, slots=True)
class CategoryEntry:
    code: str
    name_zh: str
    name_en: str
    class_zh: str = ""
    class_en: str = ""
    initials: str = ""
    aliases: tuple[str, ...] = ()
    alias_initials: tuple[str, ...] = ()

    @classmethod
    def of(cls, code: str, name_zh: str, name_en: str, class_zh: str = "", class_en: str = "") -> CategoryEntry:
        aliases = ALIASES.get(code, ())
        return cls(code, name_zh, name_en, class_zh, class_en, initials(name_zh), aliases,
                   tuple(initials(a) for a in aliases))

    def name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en

    def score(self, query: str) -> int:
        """How well `query` (lower case, stripped) matches: 0 no match, higher is better."""
        if self.code == query:
            return 100
        if self.code.startswith(query):
            return 90
        if self.initials.startswith(query) or any(a.startswith(query) for a in self.alias_initials):
            return 80
        if query in self.name_zh or any(query in a for a in self.aliases):
            return 70
        if query in self.initials or any(query in a for a in self.alias_initials):
            return 50
        if query in self.name_en.lower() or query in self.class_en.lower() or query in self.class_zh:
            return 40
        return 0


def entries_from_result(result: dict[str, Any]) -> list[CategoryEntry]:
    """The entries of a `case.categories` answer."""
    return [CategoryEntry.of(str(c["code"]), str(c["name_zh"]), str(c["name_en"]), str(c.get("class_zh", "")),
                             str(c.get("class_en", ""))) for c in result.get("categories", [])]


def entries_from_cases(cases: Iterable[Case]) -> list[CategoryEntry]:
    """While the hub has not answered: the categories of the cases the console holds."""
    seen: dict[str, CategoryEntry] = {}
    for case in cases:
        if case.category_code not in seen:
            seen[case.category_code] = CategoryEntry.of(case.category_code, case.category_zh, case.category_en)
    return sorted(seen.values(), key=lambda e: e.code)


def search(entries: Iterable[CategoryEntry], text: str, limit: int = 8) -> list[CategoryEntry]:
    """The best matches for what was typed, best first (ties in code order); nothing for no text."""
    query = text.strip().lower()
    if not query:
        return []
    scored = [(entry.score(query), entry) for entry in entries]
    ranked = sorted((pair for pair in scored if pair[0] > 0), key=lambda pair: (-pair[0], pair[1].code))
    return [entry for _, entry in ranked[:limit]]
