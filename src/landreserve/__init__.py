"""landreserve: a county land reserve (土地储备) from plan to supply."""

__version__ = "0.1.0"
