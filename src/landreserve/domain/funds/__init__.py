"""Funds and special bonds: exact money, bond schedules, the ring-fenced ledger, balance, budget, reconciliation."""
