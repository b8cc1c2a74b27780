"""Content checks of uploads.py, without the database."""

import io

import pytest
from django.utils import translation

from leergang.learning import uploads

from .conftest import make_docx, plain_zip


def test_a_real_pdf_is_a_pdf(pdf_bytes):
    checked = uploads.check(io.BytesIO(pdf_bytes), max_bytes=1024 * 1024)
    assert checked.kind == "pdf"
    assert checked.size == len(pdf_bytes)
    assert len(checked.sha256) == 64


def test_a_real_docx_is_a_docx():
    assert uploads.check(io.BytesIO(make_docx()), max_bytes=1024 * 1024).kind == "docx"


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100,  # a Windows executable
        b"\x7fELF" + b"\x00" * 100,
        plain_zip(),
        b"PK\x03\x04 broken zip",
        b"<html>%PDF-</html>",
    ],
)
@translation.override("en")
def test_other_content_is_refused_with_what_to_upload(content):
    with pytest.raises(uploads.UnsupportedType) as caught:
        uploads.check(io.BytesIO(content), max_bytes=1024 * 1024)
    assert caught.value.status == 415
    assert "PDF or Word (.docx)" in str(caught.value.detail)
    assert caught.value.errors[0]["field"] == "file"


@translation.override("en")
def test_an_empty_file_is_refused():
    with pytest.raises(uploads.UnsupportedType) as caught:
        uploads.check(io.BytesIO(b""), max_bytes=10)
    assert "empty" in str(caught.value.detail)


def test_the_size_limit_is_exact(pdf_bytes):
    assert uploads.check(io.BytesIO(pdf_bytes), max_bytes=len(pdf_bytes)).size == len(pdf_bytes)
    with pytest.raises(uploads.TooLarge) as caught:
        uploads.check(io.BytesIO(pdf_bytes), max_bytes=len(pdf_bytes) - 1)
    assert caught.value.status == 413


def test_random_names_keep_nothing_of_the_upload():
    first, second = uploads.random_relative_path("pdf"), uploads.random_relative_path("pdf")
    assert first != second
    assert first.startswith("papers/") and first.endswith(".pdf")
    assert uploads.random_relative_path("docx").endswith(".docx")


def test_clean_filename_drops_paths_and_quotes():
    assert uploads.clean_filename("../../etc/passwd") == "passwd"
    assert uploads.clean_filename('C:\\Users\\me\\my "paper".pdf') == "my paper.pdf"
    assert uploads.clean_filename("") == "paper"
