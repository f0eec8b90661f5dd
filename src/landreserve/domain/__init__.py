"""The domain core: plans, figures, parcels, lifecycle, funds, audit rules. Pure Python, no I/O."""
