"""Discovery traffic around PTP/IP sessions: SSDP/UPnP (UDP 1900 and the HTTP device
description it points to) and mDNS/DNS-SD (UDP 5353: ``_ptp._tcp`` and vendor services),
decoded sans-IO and linked to the PTP/IP session they lead to (decoder.py)."""
