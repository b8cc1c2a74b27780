"""Checking an uploaded paper by its content (R4): PDF or DOCX only, at most UPLOAD_MAX_BYTES.

Pure functions over bytes and file objects; `store` writes to disk under a random name.
"""

from __future__ import annotations

import hashlib
import os
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext_lazy as _

from leergang.core.errors import DomainError

CHUNK_SIZE = 64 * 1024
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
DOCX_REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml")
MAX_ZIP_ENTRIES = 10_000  # a real document has a few dozen parts
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class TooLarge(DomainError):
    status = 413


class UnsupportedType(DomainError):
    status = 415


WHAT_TO_UPLOAD = _("Upload your paper as a PDF or Word (.docx) file.")


@dataclass(frozen=True)
class CheckedFile:
    kind: str  # "pdf" or "docx"
    size: int
    sha256: str


def human_megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):g}"


def too_large(limit: int) -> TooLarge:
    message = _("The file is larger than %(limit)s MB; upload a smaller PDF or Word (.docx) file.") % {
        "limit": human_megabytes(limit)
    }
    return TooLarge(message, [{"field": "file", "message": message}])


def unsupported(reason) -> UnsupportedType:
    message = f"{reason} {WHAT_TO_UPLOAD}"
    return UnsupportedType(message, [{"field": "file", "message": message}])


def is_docx(fileobj: IO[bytes]) -> bool:
    """A ZIP whose directory lists the two parts every Word document has; read without extracting."""
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return False
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        fileobj.seek(0)
    return all(part in names for part in DOCX_REQUIRED_PARTS)


def detect_kind(head: bytes, fileobj: IO[bytes]) -> str | None:
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(ZIP_MAGIC) and is_docx(fileobj):
        return "docx"
    return None


def _chunks(fileobj: IO[bytes]) -> Iterable[bytes]:
    fileobj.seek(0)
    while chunk := fileobj.read(CHUNK_SIZE):
        yield chunk


def check(fileobj: IO[bytes], *, max_bytes: int) -> CheckedFile:
    """Size, hash and kind of an uploaded file, read in chunks; raises TooLarge or UnsupportedType."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    for chunk in _chunks(fileobj):
        size += len(chunk)
        if size > max_bytes:
            raise too_large(max_bytes)
        if len(head) < 8:
            head += chunk[: 8 - len(head)]
        digest.update(chunk)
    if size == 0:
        raise unsupported(_("The file is empty."))
    kind = detect_kind(head, fileobj)
    if kind is None:
        raise unsupported(_("This file is not a PDF or Word document."))
    return CheckedFile(kind=kind, size=size, sha256=digest.hexdigest())


def random_relative_path(kind: str) -> str:
    return f"papers/{uuid.uuid4().hex}{EXTENSIONS[kind]}"


def store(fileobj: IO[bytes], root: Path, relative: str) -> Path:
    """Write the file under root/relative (exclusive create: never overwrites); returns the full path."""
    target = Path(root) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in _chunks(fileobj):
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def clean_filename(name: str) -> str:
    """The uploader's file name for display and downloads only: no path, no control characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:|?*;')
    return base.strip()[:200] or "paper"
