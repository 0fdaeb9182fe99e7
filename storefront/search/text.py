"""Turning product text and a buyer's query into words, with no database.

Chinese has no spaces between words, so text is segmented with jieba (its bundled dictionary,
MIT licence). Everything is normalised first (NFKC: full-width Ｍ８ is M8, ² is 2; lower case),
and only tokens with a letter, digit or Chinese character count as words (punctuation, ×, -
and spaces are separators).

- a product's words are jieba's *search* mode (a long word and the words inside it:
  不锈钢 gives 不锈 and 不锈钢), stored space-padded (`` 六角 外六角 螺栓 m8 ``) so a word is found
  with ``LIKE '% 螺栓 %'`` and never inside another word;
- a query's words are jieba's *precise* mode (不锈钢螺栓 is 不锈钢 + 螺栓), at most
  ``MAX_QUERY_WORDS`` of them.
"""

from __future__ import annotations

import logging
import threading
import unicodedata

MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 10
#: a synonym group's words, and each word's length (operators' input)
MAX_SYNONYMS = 20
MAX_WORD_LENGTH = 30

_lock = threading.Lock()
_jieba = None


def _segmenter():
    """jieba, its dictionary loaded once per process (about a second the first time)."""
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def normalize(text: str) -> str:
    """NFKC, lower case, control characters dropped, runs of spaces made one."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def _unique(tokens) -> list[str]:
    seen: dict[str, None] = {}
    for token in tokens:
        token = token.strip()
        if token and _is_word(token):
            seen.setdefault(token, None)
    return list(seen)


def document_words(text: str) -> list[str]:
    """The words of a product's text (search mode: long words and the words inside them)."""
    text = normalize(text)
    return _unique(_segmenter().lcut_for_search(text)) if text else []


def query_words(text: str) -> list[str]:
    """The words of a query (precise mode), at most MAX_QUERY_WORDS."""
    text = normalize(text)
    return _unique(_segmenter().lcut(text))[:MAX_QUERY_WORDS] if text else []


def padded(words) -> str:
    """Words as stored: space-separated with a space at each end (`` a b ``)."""
    words = list(words)
    return f" {' '.join(words)} " if words else " "


def synonym_words(text: str) -> list[str]:
    """An operator's synonym group as typed (螺丝 螺钉, or separated by commas / 、/ ；)."""
    for sep in ",，、;；/|":
        text = text.replace(sep, " ")
    return _unique(normalize(text).split())


def expand(words: list[str], groups: list[list[str]]) -> list[list[str]]:
    """Each query word with its synonyms (the word first): [[螺丝, 螺钉], [m6]]."""
    expanded = []
    for word in words:
        alternatives = [word]
        for group in groups:
            if word in group:
                alternatives += [w for w in group if w not in alternatives]
        expanded.append(alternatives)
    return expanded
