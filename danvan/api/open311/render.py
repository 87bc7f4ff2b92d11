"""Open311 answers in JSON or XML (GeoReport v2 shapes), and its error lists."""

import json
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The XML root and item element of each kind of answer (GeoReport v2).
ROOTS = {
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml_value(parent: Element, key: str, value) -> None:
    child = SubElement(parent, key)
    if isinstance(value, dict):
        for k, v in value.items():
            _xml_value(child, k, v)
    elif isinstance(value, list):
        singular = key[:-1] if key.endswith("s") else "item"
        for item in value:
            _xml_value(child, singular, item)
    else:
        child.text = _text(value)


def to_xml(kind: str, data) -> bytes:
    if kind == "discovery":
        root = Element("discovery")
        for key, value in data.items():
            _xml_value(root, key, value)
    else:
        root_name, item_name = ROOTS[kind]
        root = Element(root_name)
        for item in data:
            element = SubElement(root, item_name)
            for key, value in item.items():
                _xml_value(element, key, value)
    return b'<?xml version="1.0" encoding="utf-8"?>' + tostring(root, encoding="unicode").encode()


def respond(fmt: str, kind: str, data, status: int = 200) -> HttpResponse:
    body = to_xml(kind, data) if fmt == "xml" else json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(fmt, "errors", [{"code": status, "description": description}], status=status)
