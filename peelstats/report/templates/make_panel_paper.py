"""Make templates/panel_paper.docx, the Word template of the Panel paper (python -m
peelstats.report.templates.make_panel_paper). Analysts may instead restyle the .docx in Word:
peelstats uses its styles (Title, Heading 1-2, List Number, List Bullet, Caption, Quote, Table
Grid) and page set-up, and adds its own content."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt, RGBColor

TARGET = Path(__file__).with_name("panel_paper.docx")


def make(target: Path = TARGET) -> Path:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12)):
        style = document.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1F, 0x2A, 0x44)
    document.styles["Caption"].font.size = Pt(9)
    document.styles["Quote"].font.size = Pt(9)
    section.footer.paragraphs[0].text = "OFFICIAL"
    document.core_properties.author = "peelstats"
    document.core_properties.title = "Police and Crime Panel paper"
    document.save(str(target))
    return target


if __name__ == "__main__":
    print(make())
