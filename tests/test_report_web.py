"""Reports for download in the web application: every report and format, Chinese file names, login needed,
a format that does not fit refused with the one JSON error shape."""

from __future__ import annotations

from urllib.parse import unquote

from landreserve.services import demo
from web_support import web  # noqa: F401  (fixture)


def test_every_report_downloads(web, bachu_plan_path):  # noqa: F811
    demo.setup(web.ctx, bachu_plan_path)
    client = web.login("housing")  # a department that only reads may still download
    for report, fmt, magic in (("plan", "docx", b"PK"), ("plan", "pdf", b"%PDF"), ("parcels", "xlsx", b"PK"),
                               ("annual", "pdf", b"%PDF"), ("disclosure", "geojson", b"{")):  # fmt: skip
        response = client.get(
            f"/reports/1/{report}.{fmt}", params={"year": 2026} if report == "annual" else {}
        )
        assert response.status_code == 200, response.text
        assert response.content.startswith(magic)
        assert "巴楚县2026年土地储备计划" in unquote(response.headers["content-disposition"])
    refused = client.get("/api/v1/reports/1/annual.xlsx")
    assert refused.status_code in (400, 422)
    assert "可选格式：docx、pdf" in refused.json()["error"]["message"]
    anonymous = web.client().get("/api/v1/reports/1/plan.pdf")
    assert anonymous.status_code == 401
