"""Defaults of the limits an installation may set (``landreserve.settings``), in one place.

A module without imports: the settings read it at start-up without loading the domain's rules, which take
the limit as a parameter (``domain.plausibility``) and get the installation's value from the services.
"""

from decimal import Decimal

#: the largest area of one parcel accepted by default, in 公顷 (setting ``LANDRESERVE_MAX_PARCEL_AREA_HA``)
MAX_PARCEL_AREA_HA = Decimal(10_000)
