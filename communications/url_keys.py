"""The key under which two addresses of one article are the same.

Editors paste the address they happen to have: from the outlet's site, from a Facebook or Zalo
share (with `fbclid`, `zarsrc`, `utm_*` appended), with or without `www.`, http or https, a
trailing slash or an anchor. The key drops all of that, so one article is recorded once.
"""

from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

# Query parameters that only say where a click came from, never which page it is.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ttclid", "twclid",
    "igshid", "igsh", "mibextid", "zarsi", "zarsrc", "zalo_source", "mc_cid", "mc_eid",
    "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref_src", "ref_url", "spm", "share_source",
})
TRACKING_PREFIXES = ("utm_", "__cft__", "__tn__", "pk_", "mtm_")
DEFAULT_PORTS = {"80", "443"}
# Characters left as they are in a path; everything else is percent-encoded, so that
# "/tra-shan-tuyết" and "/tra-shan-tuy%E1%BA%BFt" give the same key.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def url_key(url: str) -> str:
    """The normalised form of an address: no scheme for http(s), host in lower case without
    `www.` and default port, no trailing slash, no fragment, no tracking parameters, the other
    query parameters sorted. Empty for an empty address."""
    url = (url or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = f"http://{url.lstrip('/')}"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    host = host.removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or str(port) in DEFAULT_PORTS else f"{host}:{port}"
    path = quote(unquote(parts.path), safe=_PATH_SAFE).rstrip("/")
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_parameter(name)
    )
    key = netloc + path
    if query:
        key += "?" + urlencode(query)
    if scheme not in ("http", "https"):
        key = f"{scheme}://{key}"
    return key
