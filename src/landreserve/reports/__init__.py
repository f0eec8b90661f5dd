"""Reports as the county files them — the plan document, the parcel list, the year-end execution report and
the disclosure package — rendered from the report models of ``domain.reports`` as Word, PDF, Excel, JSON,
CSV and GeoJSON. Heavy libraries (python-docx, openpyxl, WeasyPrint, matplotlib) are imported by the module
that renders with them, never here."""
