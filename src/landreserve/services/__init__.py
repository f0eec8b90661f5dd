"""Use cases (import a plan, move a parcel, record a payment …) shared by the CLI and the web app."""
