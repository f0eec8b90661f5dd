"""Benchmarks: ``python -m benchmarks [name ...]`` runs every ``benchmarks/<name>.py`` that defines ``main``."""
