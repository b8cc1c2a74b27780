"""Fixtures for the final paper: an edition with its teacher, enrolments, real PDF and DOCX bytes."""

import io
import zipfile

import pytest
import typst

from leergang.catalog.models import ProgrammeTeacher
from tests import factories


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    """Every test stores its uploads in its own temporary directory."""
    root = tmp_path / "uploads"
    settings.UPLOAD_ROOT = root
    return root


@pytest.fixture
def edition(db):
    return factories.EditionFactory()


@pytest.fixture
def teacher_user(edition):
    """A teacher of the edition's programme."""
    user = factories.TeacherUserFactory(email="teacher@example.org")
    teacher = factories.TeacherFactory(user=user)
    ProgrammeTeacher.objects.create(programme=edition.programme, teacher=teacher)
    return user


@pytest.fixture
def other_teacher(db):
    """A teacher of another programme's edition."""
    other_edition = factories.EditionFactory()
    user = factories.TeacherUserFactory(email="other-teacher@example.org")
    teacher = factories.TeacherFactory(user=user)
    ProgrammeTeacher.objects.create(programme=other_edition.programme, teacher=teacher)
    return user


@pytest.fixture
def enrolment(edition, participant):
    return factories.EnrolmentFactory(edition=edition, participant=participant)


@pytest.fixture
def other_enrolment(edition):
    """Another participant in the same edition."""
    return factories.EnrolmentFactory(edition=edition, participant=factories.UserFactory(email="other@example.org"))


@pytest.fixture(scope="session")
def pdf_bytes():
    return typst.compile(b"= Paper\n\nReflection on leading with trust.")


def make_docx(text: str = "Paper") -> bytes:
    """A minimal but real Word document: content types, relationships and the main document part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


@pytest.fixture(scope="session")
def docx_bytes():
    return make_docx()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a word document")
    return buffer.getvalue()


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
