"""A fast path for the ordinary parcel rows of a long list (tab-table rows, prose parcel lines).

The general reader (``parcel_rows``) tries every rule of reading on each row. A plan of thousands of
parcels writes almost every row the same plain way; such a row is recognised here by one match and read
straight into the same parcel, figures and bookkeeping the general path gives it. A row this path does not
fully recognise — any cell, unit, marker or word the general path might read differently — goes to the
general path unchanged: the readings never differ (``tests/test_fast_rows_equal.py`` reads every plan we
have, damaged copies too, with the fast path on and off and compares all of it).
"""

from __future__ import annotations

#: the fast path is used (``False``: every row takes the general path — the reference the test compares with)
ENABLED = True
