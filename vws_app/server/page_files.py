"""Public pages as files that nginx serves itself: written atomically, gzip and Brotli beside them, removed when gone.

Layout under `PAGE_FILES_DIR`, read by the nginx recipe (README "Reverse proxy (nginx)",
`docs/nginx-site.conf`):

    nginx-page-files.conf                 where the current files are and the headers they go out with
    <generation>/en/.html                 `/` in English: a page's file is its path plus `.html`
    <generation>/es/posts.html            `/posts` in Spanish
    <generation>/any/posts/<slug>.html    a post, which is in its own language whatever the reader's
    each beside its `.html.gz` and `.html.br`.

The generation is a digest of the headers. A rebuild of the frontend changes the pages' policy
(its script hashes), so new files go to a new directory and the old one is removed: an nginx
not reloaded since still points at the old directory, finds no file and passes every page to
the app, which sends the right headers. A page sent with another build's policy would not run.
"""

import gzip
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import brotli

INCLUDE_NAME = "nginx-page-files.conf"
PAGE_SUFFIX = ".html"
ANY_LANGUAGE = "any"
TEMP_PREFIX = ".tmp-"
# Written once per change and read many times: the smallest gzip. Brotli 11 is ~5% smaller than
# 9 and about 20 times slower, minutes for thousands of posts when the site starts.
GZIP_LEVEL = 9
BROTLI_QUALITY = 9
COMPRESSIONS: dict[str, Callable[[bytes], bytes]] = {
    ".br": lambda body: brotli.compress(body, quality=BROTLI_QUALITY),
    ".gz": lambda body: gzip.compress(body, GZIP_LEVEL, mtime=0),
}
FILE_MODE = 0o644  # nginx's workers run as another user
UNSAFE_IN_NGINX_STRING = ('"', "\\", "$", "\n", "\r")


def page_file(folder: str, path: str) -> str:
    """The file of page `path` (`/`, `/posts`, `/posts/a-slug`) in `folder` (a language, or `any`)."""
    return f"{folder}{path}{PAGE_SUFFIX}"


def generation_of(headers: Mapping[str, str]) -> str:
    """The directory name for pages sent with `headers`: equal headers, same directory."""
    text = "\n".join(f"{name}: {value}" for name, value in sorted(headers.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _is_generation(name: str) -> bool:
    """Whether a directory name is one `generation_of` gives (the only directories this module removes)."""
    return len(name) == 16 and all(character in "0123456789abcdef" for character in name)


def nginx_include(directory: Path, headers: Mapping[str, str]) -> str:
    """The nginx lines the recipe includes in its page location: the files' root and their headers.

    Raises:
        ValueError: a value nginx would read as something else (a quote, a variable).
    """
    for text in (str(directory), *headers.values()):
        if any(mark in text for mark in UNSAFE_IN_NGINX_STRING):
            raise ValueError(f"cannot be written as an nginx string: {text[:80]!r}")
    lines = [
        "# Written by the site (vws_app/server/page_files.py) for the nginx recipe in its README; do not edit.",
        f'set $vws_page_root "{directory}";',
        *(f'add_header {name} "{value}" always;' for name, value in sorted(headers.items())),
    ]
    return "\n".join(lines) + "\n"


def _write_atomically(target: Path, data: bytes) -> None:
    """`target` holds `data` or what it held before, never a part (a temporary file renamed over it)."""
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class PageFileStore:
    """The page files of one generation under `root`, and the include that points nginx at them."""

    def __init__(self, root: Path, headers: Mapping[str, str]) -> None:
        self.root = root
        self.headers = dict(headers)
        self.generation = generation_of(self.headers)
        self.directory = root / self.generation
        self._digests: dict[str, bytes] = {}

    def path_of(self, name: str) -> Path:
        """Where page file `name` lives.

        Raises:
            ValueError: a name that would leave this generation's directory.
        """
        target = (self.directory / name).resolve()
        if not target.is_relative_to(self.directory.resolve()) or not name.endswith(PAGE_SUFFIX):
            raise ValueError(f"not a page file name: {name!r}")
        return target

    def write(self, name: str, body: bytes) -> bool:
        """Page `name` with `body` and its compressed copies, unless they are there already; whether it wrote.

        The compressed copies are replaced first and the page last, so a reader never gets the
        new page's name with an old copy missing; each file is whole, old or new.
        """
        digest = hashlib.sha256(body).digest()
        if self._digests.get(name) == digest:
            return False
        target = self.path_of(name)
        if self._same_on_disk(target, body):
            self._digests[name] = digest
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix, compress in COMPRESSIONS.items():
            _write_atomically(target.with_name(target.name + suffix), compress(body))
        _write_atomically(target, body)
        self._digests[name] = digest
        return True

    def remove(self, name: str) -> None:
        """Remove page `name` (the page first: without it nginx asks the app, whatever copies remain)."""
        target = self.path_of(name)
        for path in (target, *(target.with_name(target.name + suffix) for suffix in COMPRESSIONS)):
            path.unlink(missing_ok=True)
        self._digests.pop(name, None)

    def names(self) -> set[str]:
        """Every page file of this generation on disk."""
        if not self.directory.is_dir():
            return set()
        return {
            path.relative_to(self.directory).as_posix()
            for path in self.directory.rglob(f"*{PAGE_SUFFIX}")
            if not path.name.startswith(TEMP_PREFIX)
        }

    def keep_only(self, names: set[str]) -> None:
        """Remove every page file but `names`, and temporary files a stopped writer left."""
        for name in self.names() - names:
            self.remove(name)
        if self.directory.is_dir():
            for leftover in self.directory.rglob(f"{TEMP_PREFIX}*"):
                leftover.unlink(missing_ok=True)

    def publish(self) -> None:
        """Point nginx's include at this generation, then remove the others' files."""
        self.root.mkdir(parents=True, exist_ok=True)
        _write_atomically(self.root / INCLUDE_NAME, nginx_include(self.directory, self.headers).encode())
        for entry in self.root.iterdir():
            if entry.is_dir() and entry.name != self.generation and _is_generation(entry.name):
                shutil.rmtree(entry, ignore_errors=True)

    def _same_on_disk(self, target: Path, body: bytes) -> bool:
        """Whether `target` already holds `body` with both compressed copies (after a restart)."""
        try:
            return target.read_bytes() == body and all(
                target.with_name(target.name + suffix).is_file() for suffix in COMPRESSIONS
            )
        except OSError:
            return False
