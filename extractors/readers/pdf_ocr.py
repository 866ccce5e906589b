"""OCR of PDF pages without a text layer: pypdfium2 renders the page, Tesseract (Danish) reads it.

Tesseract's hOCR output gives every line its box and its text size
(``x_size``) and every word its box and confidence, so an OCR'd page becomes
the same ``PageLayout`` of line fragments as a page with a text layer, and is
structured (headings by size, paragraphs by gaps, running lines) the same way.
pytesseract runs the ``tesseract`` binary; ``KLIMAMAAL_TESSERACT`` names
another one. Without it (or without its Danish data) the page is marked
``needs_ocr`` with the command that installs what is missing, and the rest of
the document is read.

OCR reads the subscript of "CO₂" as "C02", "CO2", "C0₂" or a separate "2";
those are written "CO₂" again, so the extractor sees what the page showed.
"""

from __future__ import annotations

import os
import re
import shutil
from functools import cache

#: Rendering resolution: Tesseract is trained on about 300 dpi print.
DPI = 300
LANGUAGE = "dan"
#: Seconds Tesseract may spend on one page before it is given up as "needs OCR".
PAGE_TIMEOUT = 180
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-dan"

_CO2 = re.compile(r"(?<![^\W\d_])C[O0o][2₂](?!\d)")
_CO_ALONE = re.compile(r"^C[O0o]$")
_BBOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")
_X_SIZE = re.compile(r"x_size ([\d.]+)")
_CONFIDENCE = re.compile(r"x_wconf (\d+)")


def tesseract_command() -> str:
    return os.environ.get("KLIMAMAAL_TESSERACT", "tesseract")


@cache
def _missing(command: str) -> str | None:
    """Why OCR cannot run with ``command`` (with the install command), or None when it can."""
    import pytesseract

    if shutil.which(command) is None:
        return f"Tesseract is not installed; install it with: {INSTALL}"
    pytesseract.pytesseract.tesseract_cmd = command
    try:
        languages = pytesseract.get_languages(config="")
    except Exception as error:  # noqa: BLE001 - a broken binary is reported, not raised
        return f"Tesseract ({command}) does not run ({error}); reinstall it with: {INSTALL}"
    if LANGUAGE not in languages:
        return f"Tesseract has no Danish language data; install it with: {INSTALL}"
    return None


def ocr_available() -> str | None:
    """None when pages can be OCR'd, else the reason and the command that fixes it."""
    return _missing(tesseract_command())


def fix_co2(text: str) -> str:
    """'C02', 'CO2' and 'C0₂' as OCR reads 'CO₂', written 'CO₂' (not inside a longer word or number)."""
    return _CO2.sub("CO₂", text)


def ocr_page(page, layout) -> None:  # type: ignore[no-untyped-def]
    """Fill ``layout`` (a page without text) from OCR of the pdfium ``page``; or mark it ``needs_ocr``."""
    import pytesseract

    reason = ocr_available()
    if reason is not None:
        layout.ocr, layout.ocr_note = "needs_ocr", reason
        return
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per Tesseract: pages run in parallel instead
    scale = DPI / 72
    image = page.render(scale=scale, grayscale=True).to_pil()
    try:
        hocr = pytesseract.image_to_pdf_or_hocr(
            image, lang=LANGUAGE, extension="hocr", timeout=PAGE_TIMEOUT, config="--psm 3"
        )
    except RuntimeError as error:  # pytesseract's timeout
        layout.ocr, layout.ocr_note = "needs_ocr", f"OCR gave up after {PAGE_TIMEOUT} s ({error})"
        return
    finally:
        image.close()
    words, confidences = hocr_words(hocr, scale)
    from extractors.readers.pdf_layout import _fragments

    layout.fragments = _fragments(words) if words else []
    layout.ocr = "ocr"
    layout.ocr_confidence = round(sum(confidences) / len(confidences), 1) if confidences else 0.0


def hocr_words(hocr: bytes, scale: float) -> tuple[list[dict], list[int]]:
    """pdfplumber-shaped words (in points) from Tesseract's hOCR, and their confidences.

    Every word of a line shares the line's top, bottom and text size, so that
    the line is one line to the structuring whatever its letters reach.
    """
    from lxml import etree

    root = etree.fromstring(hocr, parser=etree.XMLParser(recover=True, huge_tree=True))
    words: list[dict] = []
    confidences: list[int] = []
    for line in root.iter("{*}span"):
        if line.get("class") not in ("ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"):
            continue
        title = line.get("title", "")
        box = _BBOX.search(title)
        size = _X_SIZE.search(title)
        if box is None:
            continue
        top, bottom = int(box.group(2)) / scale, int(box.group(4)) / scale
        points = round(float(size.group(1)) / scale * 2) / 2 if size else round(bottom - top, 1)
        line_words: list[dict] = []
        for word in line.iter("{*}span"):
            if word.get("class") != "ocrx_word":
                continue
            text = "".join(word.itertext()).strip()
            word_box = _BBOX.search(word.get("title", ""))
            if not text or word_box is None:
                continue
            confidence = _CONFIDENCE.search(word.get("title", ""))
            if confidence:
                confidences.append(int(confidence.group(1)))
            line_words.append(
                {
                    "text": text,
                    "x0": int(word_box.group(1)) / scale,
                    "x1": int(word_box.group(3)) / scale,
                    "top": top,
                    "bottom": bottom,
                    "size": points,
                    "bold": False,
                    "fontname": "OCR",
                }
            )
        words += _join_co2(line_words)
    return words, confidences


def _join_co2(words: list[dict]) -> list[dict]:
    """Merge 'CO' '2' (a subscript read as a word of its own) and write every CO₂ variant as 'CO₂'."""
    out: list[dict] = []
    for word in words:
        if out and _CO_ALONE.match(out[-1]["text"]) and word["text"][:1] in "2₂":
            out[-1] = {**out[-1], "text": "CO₂" + word["text"][1:], "x1": word["x1"]}
            continue
        out.append({**word, "text": fix_co2(word["text"])})
    return out
