"""Parcel geometry: coordinate systems, boundary files, validity, and spatial checks (overlaps, constraint layers)."""
