"""The office's own networks (OFFICE_NETWORKS): counters behind one NAT address are let through the public
status page's per-address limit. The address is the one the server sees (request.remote_addr): no
X-Forwarded-For header is trusted, so nobody outside claims to be inside by sending one."""

from __future__ import annotations

import functools
import ipaddress

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
