"""Readings of Chinese personal names for sorting and initial-letter search.

A surname is read by its surname reading, which for many characters is not the common one:
曾 is zēng as a surname (céng otherwise), 单 shàn, 解 xiè, 仇 qiú, 查 zhā, 区 ōu, 覃 qín ...
pypinyin reads single characters by their most frequent reading, so 曾小明 would sort among
the c's and be found by ``cxm``. The table below gives the surname readings (《现代汉语词典》
第7版 and the 百家姓 readings; compound surnames read as a whole), and the given name keeps
pypinyin's reading. ``sort_key`` is what member lists and pickers order by (the same order on
SQLite and PostgreSQL: plain ASCII, no collation needed).
"""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin

#: Compound surnames (复姓), read as a whole; only taken as a surname when a given name follows.
COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "欧阳": ("ou", "yang"), "上官": ("shang", "guan"), "司马": ("si", "ma"), "诸葛": ("zhu", "ge"),
    "皇甫": ("huang", "fu"), "夏侯": ("xia", "hou"), "宇文": ("yu", "wen"), "慕容": ("mu", "rong"),
    "公孙": ("gong", "sun"), "东方": ("dong", "fang"), "司徒": ("si", "tu"), "独孤": ("du", "gu"),
    "令狐": ("ling", "hu"), "尉迟": ("yu", "chi"), "万俟": ("mo", "qi"), "单于": ("chan", "yu"),
    "长孙": ("zhang", "sun"), "澹台": ("tan", "tai"), "申屠": ("shen", "tu"), "南宫": ("nan", "gong"),
    "闻人": ("wen", "ren"), "轩辕": ("xuan", "yuan"), "呼延": ("hu", "yan"), "端木": ("duan", "mu"),
    "百里": ("bai", "li"), "西门": ("xi", "men"), "太史": ("tai", "shi"), "淳于": ("chun", "yu"),
    "钟离": ("zhong", "li"), "赫连": ("he", "lian"), "公冶": ("gong", "ye"), "濮阳": ("pu", "yang"),
    "宗政": ("zong", "zheng"), "仲孙": ("zhong", "sun"), "拓跋": ("tuo", "ba"), "乐正": ("yue", "zheng"),
}

#: Single-character surnames whose surname reading differs from the character's common reading.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "查": "zha", "区": "ou", "覃": "qin",
    "朴": "piao", "盖": "ge", "乐": "yue", "繁": "po", "缪": "miao", "员": "yun", "种": "chong",
    "秘": "bi", "折": "she", "翟": "zhai", "句": "gou", "召": "shao", "黑": "he", "隗": "wei",
    "阚": "kan", "薄": "bo", "祭": "zhai", "乜": "nie", "藏": "zang", "能": "nai", "华": "hua",
    "纪": "ji", "燕": "yan", "任": "ren", "沈": "shen", "贾": "jia", "宿": "su", "柏": "bai",
}


def syllables(name: str) -> list[str]:
    """The name's pinyin, one lower-case syllable per character (surname by its surname reading);
    characters that are not Chinese stay as they are, lower case."""
    name = name.strip()
    if not name:
        return []
    compound = COMPOUND_SURNAMES.get(name[:2]) if len(name) > 2 else None
    if compound:
        head, rest = list(compound), name[2:]
    elif name[0] in SURNAME_READINGS:
        head, rest = [SURNAME_READINGS[name[0]]], name[1:]
    else:
        head, rest = [], name
    return head + [part.lower() for part in lazy_pinyin(rest, style=Style.NORMAL) if part.strip()]


def initials(name: str) -> str:
    """``zxm`` for 曾小明: the first letter of each syllable (what the search box takes)."""
    return "".join(part[0] for part in syllables(name) if part)[:50]


def sort_key(name: str) -> str:
    """``zeng xiao ming``: syllables separated by a space, so 詹 (zhan) sorts before 张 (zhang)
    and each syllable is compared whole."""
    return " ".join(syllables(name))[:200]
