import io

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """The text of every page, with runs of white space made single spaces (lines wrap where they like)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
