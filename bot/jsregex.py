"""Python regular expressions rewritten for JavaScript's `u` flag, so the browser runs the same rules.

A leaf module (it imports nothing of the bot's): corpus validation refuses a rule the browser could
not run (bot/urgency.py), and the model file exports every rule through it (bot/browser_model.py).
"""

from __future__ import annotations

import re

# Python's \w and \d for str patterns are Unicode-aware ([\p{L}\p{N}_] and \p{Nd} exactly, checked
# over every code point); JavaScript's are ASCII even with the u flag, and its \b follows \w.
_WORD_CHARS = r"\p{L}\p{N}_"
BOUNDARY = rf"(?:(?<=[{_WORD_CHARS}])(?![{_WORD_CHARS}])|(?<![{_WORD_CHARS}])(?=[{_WORD_CHARS}]))"
# Under IGNORECASE Python also matches the Turkish dotted and dotless i for "i"; JavaScript's
# case folding (the iu flags) does not.
_TURKISH_I = "\u0130\u0131"


_SYNTAX = set("^$\\.*+?()[]{}|/")  # what JavaScript's u flag lets you escape


def js_regex(pattern: str, ignorecase: bool = False) -> str:
    """The same regular expression for JavaScript's `u` flag, or ValueError if it cannot be mirrored."""
    out: list[str] = []
    in_class = False
    class_start = source_start = 0  # where the current class's body starts in `out` and in `pattern`
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1]
            i += 2
            if nxt == "b" and not in_class:
                out.append(BOUNDARY)
            elif nxt == "d":
                out.append(r"\p{Nd}")
            elif nxt == "D" and not in_class:
                out.append(r"\P{Nd}")
            elif nxt == "w":
                out.append(_WORD_CHARS if in_class else f"[{_WORD_CHARS}]")
            elif nxt == "W" and not in_class:
                out.append(f"[^{_WORD_CHARS}]")
            elif nxt in "sStnrfv" or nxt in _SYNTAX or (in_class and nxt == "-"):
                out.append("\\" + nxt)
            elif not nxt.isalnum():
                out.append(nxt)  # "\#", "\ ": the u flag refuses needless escapes
            else:
                raise ValueError(f"cannot mirror \\{nxt} in JavaScript: {pattern!r}")
            continue
        if in_class:
            if c == "]":
                body = pattern[source_start:i]
                if ignorecase and re.fullmatch(f"[{body}]", "i", re.IGNORECASE):
                    # first in the class (after a literal leading "-"), where it cannot form a range
                    out.insert(class_start + (body[:1] == "-"), _TURKISH_I)
                in_class = False
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if pattern.startswith("^", i):
                out.append("^")
                i += 1
            class_start, source_start = len(out), i
            if pattern.startswith("]", i):  # literal in Python right after "[" or "[^"
                out.append("\\]")
                i += 1
            continue
        if (
            c == "("
            and pattern.startswith("(?", i)
            and not pattern.startswith(("(?:", "(?=", "(?!", "(?<=", "(?<!"), i)
        ):
            raise ValueError(f"cannot mirror the group {pattern[i : i + 4]!r} in JavaScript: {pattern!r}")
        if c == "{" and pattern.startswith("{,", i):
            raise ValueError(f"write {{0,n}} instead of {{,n}}: {pattern!r}")
        if c in "*+?}" and pattern.startswith("+", i + 1):
            raise ValueError(f"JavaScript has no possessive quantifiers: {pattern!r}")
        if ignorecase and c in "iI":
            out.append(f"[i{_TURKISH_I}]")
        else:
            out.append(c)
        i += 1
    if in_class:
        raise ValueError(f"unclosed character class: {pattern!r}")
    return "".join(out)


def js_pattern(compiled: re.Pattern[str], flags: int) -> str:
    """A privacy pattern for engine.js, which compiles it with the JavaScript twin of `flags`."""
    if compiled.flags & (re.IGNORECASE | re.DOTALL | re.MULTILINE | re.VERBOSE) != flags:
        raise ValueError(f"engine.js expects the flags {re.RegexFlag(flags)!r} on {compiled.pattern!r}")
    return js_regex(compiled.pattern, ignorecase=bool(flags & re.IGNORECASE))


def check_ascii_rule(pattern: str) -> str:
    """Urgent rules run on folded (ASCII) text, where both engines agree; refuse Python-only syntax."""
    js_regex(pattern)  # raises on (?P<...>), inline flags, \A, \Z and {,n}
    return pattern
