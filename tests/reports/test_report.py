"""`ratusz report ranking`: a self-contained HTML file and a PDF whose first page is not blank."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from ratusz.errors import RatuszError
from ratusz.metrics.definitions import METHOD_VERSION, METRICS
from ratusz.metrics.models import RankingRun

pytestmark = pytest.mark.django_db


def _cli():
    from ratusz import cli

    cli._register_commands_once()
    return cli.app


def test_report_ranking_writes_html_and_pdf(tmp_path, ranking_data):
    result = CliRunner().invoke(
        _cli(),
        [
            "report",
            "ranking",
            "--period",
            "2025-01-01..2025-03-31",
            "--category",
            "love",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    html_file = tmp_path / "zloty-lajk-love-2025-01-01-2025-03-31.html"
    pdf_file = tmp_path / "zloty-lajk-love-2025-01-01-2025-03-31.pdf"
    assert html_file.exists() and pdf_file.exists()
    html = html_file.read_text(encoding="utf-8")
    # Self-contained: inline CSS and SVG charts, no external script, stylesheet or image.
    assert "<style>" in html and "<svg" in html
    assert not re.search(r"<(script|link|img)\b[^>]*(src|href)=", html)
    assert "Miasto Delta — oficjalny" in html
    assert METHOD_VERSION in html
    for metric in METRICS:
        assert f'data-metric="{metric.key}"' in html
    assert "Źródła danych" in html
    # The run is stored, so the published ranking can be reproduced.
    run = RankingRun.objects.get()
    assert f"#{run.pk}" in html and run.category == "love"
    assert not list(tmp_path.glob("*.part"))


def test_report_pdf_first_page_is_not_blank(tmp_path, ranking_data):
    from ratusz.metrics.ranking import RankingParams
    from ratusz.reports.builder import ranking_document, write_report

    doc = ranking_document(RankingParams("active", date(2025, 1, 1), date(2025, 3, 31)))
    files = write_report(doc, tmp_path)
    pdf = pdfium.PdfDocument(str(files.pdf))
    assert len(pdf) >= 2  # ranking + charts + method do not fit on one page
    image = pdf[0].render(scale=1).to_pil().convert("L")
    pixels = np.asarray(image)
    dark = (pixels < 128).mean()
    assert dark > 0.01, f"first page is almost blank: {dark:.4%} dark pixels"
    text = pdf[0].get_textpage().get_text_range()
    assert "Złoty Lajk" in text and "Miasto Alfa" in text


def test_report_with_bad_input_raises_one_clear_sentence_and_writes_nothing(tmp_path, ranking_data):
    # `ratusz` (main) prints a RatuszError as one line "Błąd: …" and exits with 1.
    out = tmp_path / "out"
    args = ["report", "ranking", "--period", "2025-01-01..2025-03-31", "--category", "love"]
    result = CliRunner().invoke(_cli(), [*args, "--voivodeship", "Atlantyda", "--out", str(out)])
    assert isinstance(result.exception, RatuszError)
    assert result.exception.message.startswith("Nie znam województwa „Atlantyda”; dostępne: dolnośląskie")
    result = CliRunner().invoke(_cli(), [*args, "--min-posts", "1000", "--out", str(out)])
    assert isinstance(result.exception, RatuszError)
    assert "Brak profili spełniających warunki kategorii" in result.exception.message
    assert not out.exists() or not any(out.iterdir())
    assert RankingRun.objects.count() == 0


def test_report_command_has_an_example_in_its_help():
    result = CliRunner().invoke(_cli(), ["report", "ranking", "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "Example: ratusz report ranking --period" in result.output
