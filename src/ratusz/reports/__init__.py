"""Printable reports: the Złoty Lajk ranking as a self-contained HTML file and a PDF (WeasyPrint)."""
