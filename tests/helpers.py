"""Helpers shared by the tests: walking the URL patterns, checking HTML for other hosts."""

import re

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*)\)")
_ALTERNATION = re.compile(r"^[\w|]+$")

SAMPLE_BY_CONVERTER = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid":
                       "00000000-0000-0000-0000-000000000000"}


def _route_sample(route: str) -> str:
    return _ROUTE_PARAM.sub(lambda m: SAMPLE_BY_CONVERTER.get(m["converter"] or "str", "1"), route)


def _regex_sample(regex: str) -> str:
    def group(match):
        body = match["body"]
        if _ALTERNATION.match(body):
            return body.split("|")[0]
        if "\\d" in body or "0-9" in body:
            return "1"
        return "x"

    sample = _NAMED_GROUP.sub(group, regex)
    return sample.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\.", ".")


def _sample(pattern) -> str:
    text = str(pattern.pattern)
    if hasattr(pattern.pattern, "_route"):
        return _route_sample(text)
    return _regex_sample(text)


def iter_urls(patterns=None, prefix="/", names=()):
    """Yield (sample path, url name, view callback) for every URL pattern of the project."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        sample = prefix + _sample(pattern)
        if isinstance(pattern, URLResolver):
            namespace = (pattern.namespace,) if pattern.namespace else ()
            yield from iter_urls(pattern.url_patterns, sample, names + namespace)
        elif isinstance(pattern, URLPattern):
            name = ":".join(names + (pattern.name,)) if pattern.name else None
            yield sample, name, pattern.callback


def resolvable_urls():
    """The sample paths that really resolve to their own pattern (skips exotic regexes)."""
    for path, name, callback in iter_urls():
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.func == callback:
            yield path, name


_EXTERNAL = re.compile(
    r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']\s*(?:https?:)?//""", re.IGNORECASE
)
_CSS_URL = re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def external_references(html: str) -> list[str]:
    """Attributes or CSS urls in a page that load or link anything from another host."""
    found = [m.group(0) for m in _EXTERNAL.finditer(html)]
    found += [m.group(0) for m in _CSS_URL.finditer(html)]
    return found
