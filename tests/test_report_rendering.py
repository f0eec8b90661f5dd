"""PDFs show Chinese text, not boxes: the Noto fonts are embedded (pdffonts), the text extracts (pdftotext),
and a page rendered to pixels (pdftoppm) shows the font's own glyph for a character — compared with the same
glyph drawn straight from the font file, and unlike the box the font draws for a character it lacks."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from landreserve.reports import charts
from landreserve.reports.blocks import Chart, Document, Paragraph, Title
from landreserve.reports.fonts import SANS, SERIF, paths
from landreserve.reports.pdf import pdf_bytes

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed"
)


def _ink(image: Image.Image) -> Image.Image:
    """The black-and-white ink of an image, cropped to its bounding box and scaled to 64 × 64."""
    grey = image.convert("L").point(lambda v: 255 if v < 128 else 0)
    box = grey.getbbox()
    assert box is not None, "nothing was drawn"
    return grey.crop(box).resize((64, 64))


def _overlap(a: Image.Image, b: Image.Image) -> float:
    """Intersection over union of two ink masks."""
    x, y = np.asarray(a) > 127, np.asarray(b) > 127
    return float((x & y).sum() / max(1, (x | y).sum()))


def _from_font(text: str, family: str) -> Image.Image:
    font = ImageFont.truetype(str(paths()[family]), 200)
    image = Image.new("L", (400, 400), 255)
    ImageDraw.Draw(image).text((50, 50), text, font=font, fill=0)
    return _ink(image)


def _rendered(tmp_path, text: str) -> Image.Image:
    """``text`` as the title of a one-page PDF, rendered by pdftoppm; the title's ink."""
    pdf = tmp_path / "glyph.pdf"
    pdf.write_bytes(pdf_bytes(Document("字形", (Title(text),))))
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True
    )
    page = Image.open(tmp_path / "page.png")
    return _ink(page.crop((0, 0, page.width, page.height // 4)))  # the title, not the page footer


@pytest.mark.parametrize("char", ["储", "亩", "划"])
def test_rendered_title_is_the_fonts_glyph_not_a_box(tmp_path, char):
    rendered = _rendered(tmp_path, char)
    glyph = _from_font(char, SANS)
    missing = _from_font("\ue000", SANS)  # a private-use character: the font draws its .notdef box
    assert _overlap(rendered, glyph) > 0.75
    assert _overlap(rendered, missing) < 0.5


def test_fonts_are_embedded_and_text_extracts(tmp_path):
    doc = Document(
        "测试", (Title("巴楚县2026年土地储备计划"), Paragraph("本年度计划储备土地47.58公顷（713.63亩）。"))
    )
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(pdf_bytes(doc))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    embedded = {row[0].split("+", 1)[-1] for row in rows if "yes" in row}
    assert {"Noto-Serif-SC", "Noto-Sans-SC"} <= {name.replace("-Bold", "") for name in embedded}
    assert all(row[-5] == "yes" for row in rows)  # every font embedded (column emb)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "巴楚县2026年土地储备计划" in text and "47.58公顷（713.63亩）" in text
    assert "第1页共1页" in text.replace(" ", "")


def test_chart_labels_are_drawn_with_the_chinese_font():
    chart = Chart("图1", "grouped", ("住宅用地", "商服用地"), (("计划储备", (31.6, 7.93)),), "公顷")
    svg = charts.render(chart, "svg").decode()
    assert 'id="NotoSansSC-Regular-' in svg and "<text" not in svg  # glyphs of the font drawn as paths
    assert charts.render(chart, "svg") == charts.render(chart, "svg")  # deterministic
    png = charts.render(chart, "png")
    assert png.startswith(b"\x89PNG")
    assert SERIF in paths() and paths()[SANS].is_file()
