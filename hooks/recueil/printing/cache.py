"""Laid-out documents kept across builds, on disk, under the hash of what they were laid out from."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from recueil.printing.layout import Part, stylesheet

CACHE_FORMAT = "recueil-pdf 4"  # change it when what is cached changes shape
CACHE_FOLDER = Path(".cache") / "recueil-pdf"  # under the project's root; never read for anything else


class PartCache:
    """Laid-out documents by the hash of their HTML, the stylesheet and the WeasyPrint version.

    In memory for one build (editions share their sheets), and on disk in `folder` across builds.
    A missing, partial or unreadable entry is laid out again; nothing else is ever read from the folder.
    """

    def __init__(self, folder: Path | None, salt: str) -> None:
        self.folder = folder
        self.salt = hashlib.sha256(f"{CACHE_FORMAT}\0{salt}\0{stylesheet()}\0".encode()).hexdigest()
        self.memory: dict[str, Part] = {}

    def key(self, html: str) -> str:
        return hashlib.sha256(f"{self.salt}\0{html}".encode()).hexdigest()

    def get(self, key: str) -> Part | None:
        if key in self.memory or self.folder is None:
            return self.memory.get(key)
        try:
            entry = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            pdf = (self.folder / f"{key}.pdf").read_bytes()
            if hashlib.sha256(pdf).hexdigest() != entry["sha256"]:
                return None  # an interrupted or foreign write
            part = Part(pdf=pdf, anchors=tuple(tuple(str(a) for a in page) for page in entry["anchors"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self.memory[key] = part
        return part

    def put(self, key: str, part: Part) -> None:
        self.memory[key] = part
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        # The PDF first, then its page list and checksum: an entry counts once both are there and agree.
        self._write(f"{key}.pdf", part.pdf)
        entry = {"sha256": hashlib.sha256(part.pdf).hexdigest(), "anchors": part.anchors}
        self._write(f"{key}.json", json.dumps(entry, ensure_ascii=False).encode())

    def _write(self, name: str, data: bytes) -> None:
        assert self.folder is not None
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, self.folder / name)

    def keep_only(self, keys: set[str]) -> None:
        """Forget the entries this build did not use (sheets deleted or changed since)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.suffix in {".pdf", ".json"} and path.stem not in keys and len(path.stem) == 64:
                path.unlink(missing_ok=True)
