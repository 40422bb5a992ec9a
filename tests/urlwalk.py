"""Every URL pattern of the project, with sample arguments, for tests that must cover them all."""

import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE_VALUES = {
    "int": "1",
    "str": "sample",
    "slug": "sample",
    "uuid": str(uuid.uuid4()),
    "path": "x",
}


@dataclass
class Route:
    url: str
    name: str
    callback: object
    admin: bool


def _fill(pattern) -> str:
    route = str(pattern.pattern)
    converters = getattr(pattern.pattern, "converters", {})
    if not converters:
        # A regex pattern (the admin's): only literal prefixes are walked.
        return route.lstrip("^").rstrip("$").replace("\\", "")
    for name, converter in converters.items():
        kind = type(converter).__name__.replace("Converter", "").lower()
        value = SAMPLE_VALUES.get(kind, "1")
        route = route.replace(f"<{kind}:{name}>", value).replace(f"<{name}>", value)
    return route


def walk(patterns=None, prefix="/", namespace="", admin=False):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner_admin = admin or (pattern.app_name == "admin")
            inner_ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + _fill(pattern), inner_ns, inner_admin)
        elif isinstance(pattern, URLPattern):
            yield Route(
                url=prefix + _fill(pattern),
                name=f"{namespace}{pattern.name or ''}",
                callback=pattern.callback,
                admin=admin,
            )


def app_routes():
    """The project's own routes: the admin guards itself and is tested on its own."""
    return [route for route in walk() if not route.admin]
