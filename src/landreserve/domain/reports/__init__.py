"""The figures of the reports (plan document, parcel list, year-end execution report, disclosure), computed
from unrounded values and rounded once, consistently: pure data, no I/O (the renderers are in
``landreserve.reports``)."""
