"""The office's own networks (OFFICE_NETWORKS): counters behind one NAT address are let through the per-address
limit of the public lookups (the status page, the permit check). The address is the one the server sees
(request.remote_addr): no X-Forwarded-For header is trusted, so nobody outside claims to be inside by sending one."""

from __future__ import annotations

import functools
import ipaddress

from flask import current_app, request
from flask_appbuilder.security.decorators import limit

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def parse_networks(spec: str) -> tuple[Network, ...]:
    """"10.0.0.0/8, 192.168.0.0/16" as networks; raises ValueError naming a wrong entry."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip())


def in_networks(address: str | None, spec: str) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in parse_networks(spec))


def from_office() -> bool:
    return in_networks(request.remote_addr, current_app.config["OFFICE_NETWORKS"])


def public_lookup_limit(method: str):
    """The per-address limit (STATUS_RATE_LIMIT) of a public lookup answered to `method`: the office's own
    networks pass it; whatever else guards the lookup (the status page's lock per number) still holds."""
    return limit(lambda: current_app.config["STATUS_RATE_LIMIT"], methods=[method], exempt_when=from_office)
