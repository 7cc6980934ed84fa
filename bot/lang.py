"""Stop words and language detection for English and Spanish.

Detection counts function words, which short, accent-less, typo-ridden questions still contain
("q pasa si hago mis taxes"). Spanglish counts as Spanish: a person who mixes in Spanish function
words reads Spanish at least as well as English, so any clear Spanish signal wins a tie.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

# The languages the bot speaks, written once: the type every API field uses, and its values.
Lang = Literal["en", "es"]
LANGUAGES: tuple[Lang, ...] = get_args(Lang)

STOPWORDS_EN = frozenset(
    """a about above after again all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has
    have having he her here hers him his how i if in into is it its itself just let me more most my
    myself no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your
    yours yourself im ive id dont doesnt didnt cant cannot wont isnt arent wasnt u ur pls please
    hi hello thanks thank also get got really still even much many ok okay yes maybe something
    anything someone thing things know want need tell like""".split()
)

STOPWORDS_ES = frozenset(
    """a al algo algun alguna alguno algunos ante antes aqui asi aun bien cada como con contra cual
    cuales cuando de del desde donde dos el ella ellas ellos en entre era eres es esa esas ese eso
    esos esta estas este esto estos estoy estas fue fueron ha han hasta hay he la las le les lo los
    mas me mi mis mucho muy nada ni no nos nosotros nuestra nuestro o otra otro para pero poco por
    porque pues que quien se ser si sin sobre solo son su sus tal tambien te tengo tiene tienen
    toda todo todos tu tus un una unos unas usted ustedes ya yo q k pq xq porfa favor hola gracias
    puedo puede pueden quiero necesito saber hacer tener ok oiga buenas dias tardes noches ay
    kiero ke ola porke aser acer""".split()  # the same words as typed in a hurry
)

STOPWORDS = {"en": STOPWORDS_EN, "es": STOPWORDS_ES}

# Words that are common in both languages carry no signal for detection.
_SHARED = STOPWORDS_EN & STOPWORDS_ES
_CUES_EN = (STOPWORDS_EN - _SHARED) - {"im", "u"}
_CUES_ES = (STOPWORDS_ES - _SHARED) | {
    "declarar",
    "impuestos",
    "migra",
    "esposo",
    "esposa",
    "hijos",
    "papeles",
    "direccion",
    "mandar",
    "pasa",
    "deportar",
    "abogado",
    "ayuda",
}
_CUES_ES = _CUES_ES - {"ok"}


def is_mixed(toks: Sequence[str]) -> bool:
    """True when the words carry both English and Spanish cues ("free abogado near me")."""
    return any(t in _CUES_EN for t in toks) and any(t in _CUES_ES for t in toks)


# Mirrored in web/static/engine.js (textLanguage); these travel in the model file (bot/browser_model.py).
SPANISH_MARKS = "¿¡ñÑáéíóúÁÉÍÓÚ"  # letters and signs only Spanish uses here
MARK_WEIGHT = 2  # a Spanish mark counts as this many Spanish cue words
ES_RATIO = 0.6  # Spanish wins with at least this share of the English cue count


def detect(raw: str, toks: Sequence[str]) -> str | None:
    """Return "en", "es", or None when the words give no signal either way.

    `raw` is the original text (for ¿ ¡ ñ and accents, which only Spanish uses here); `toks` are
    its folded tokens.
    """
    es = sum(1 for t in toks if t in _CUES_ES)
    en = sum(1 for t in toks if t in _CUES_EN)
    if any(c in raw for c in SPANISH_MARKS):
        es += MARK_WEIGHT
    if es == 0 and en == 0:
        return None
    return "es" if es >= en * ES_RATIO else "en"
