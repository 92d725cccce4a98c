"""What may be shown: passwords removed, control characters escaped.

Every message the toolkit or the command line prints, raises or logs goes
through :func:`redact`, which removes

- the password of a URI DSN (``postgresql://user:PASSWORD@host``), up to the
  last ``@`` of the authority, so a malformed one (``u:P@W@[::1]x``) goes too;
- ``password=`` / ``sslpassword=`` / ``PGPASSWORD=`` pairs, quoted or not; an
  unquoted value runs to the next ``keyword=`` (``password=A B`` loses
  ``A B``, not only ``A``);
- the password of every DSN the toolkit was given (:func:`remember_dsn`,
  called by :func:`~babylon_sql.server.embedded.resolve_dsn`, ``open_pool`` and
  the :class:`~babylon_sql.server.connector.Connector`), in its raw and
  percent-decoded forms, wherever it appears (passwords of 4 or more
  characters; shorter ones are still caught by the patterns above);
- any quoted fragment of a remembered DSN's password that its redacted form
  lacks, as libpq quotes them in its parse errors (``missing "=" after
  "B"``): a whole space- or ``@``-separated piece of the password, or a part
  of one of 4 or more characters.

Logging: :func:`install_log_filter` (run when this module is imported) puts a
filter on the ``psycopg``, ``psycopg.pool`` and ``babylon_sql`` loggers that
redacts each record's message and traceback.

Client programs: :func:`client_environment` gives ``pg_dump`` or ``psql`` a
DSN without its password and an environment whose ``PGPASSFILE`` names a
temporary password file (mode 0600, removed afterwards), so no password is
ever a process argument.

:func:`escape_controls` makes stored text safe for a terminal (no escape
sequences, no bidirectional overrides).
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from babylon_sql.errors import ConfigurationError

#: What a removed secret is replaced with.
MASK = "********"

_URI_PASSWORD = re.compile(
    r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@?#\"']*:)(?P<pw>[^\n/]*)(?=@)"
)
_KW_PASSWORD = re.compile(
    r"(?P<head>password\s*=\s*)"
    r"(?P<pw>'(?:[^'\\\n]|\\.)*(?:'|$)|[^\n]*?(?=\s+[A-Za-z_][A-Za-z0-9_]*\s*=|\n|$))",
    re.IGNORECASE | re.MULTILINE,
)
_MAPPING_PASSWORD = re.compile(
    r"(?P<head>['\"]\w*password['\"]\s*:\s*)(?P<pw>'[^'\n]*'|\"[^\"\n]*\"|[^,}\s]+)",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"\"([^\"\n]+)\"|'([^'\n]+)'")

_MIN_SECRET = 4
_MAX_REMEMBERED = 64
_lock = threading.Lock()
_remembered: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {}


def _redact_patterns(text: str) -> str:
    text = _URI_PASSWORD.sub(lambda m: m.group("head") + MASK, text)
    text = _KW_PASSWORD.sub(lambda m: m.group("head") + MASK, text)
    return _MAPPING_PASSWORD.sub(lambda m: m.group("head") + MASK, text)


def _passwords_of(dsn: str) -> set[str]:
    """Every form the password of ``dsn`` may take in a message, and its pieces."""
    found: set[str] = set()
    try:
        password = conninfo_to_dict(dsn).get("password")
    except Exception:  # a malformed DSN: fall back on the patterns
        password = None
    if password:
        found.add(str(password))
    for pattern in (_URI_PASSWORD, _KW_PASSWORD):
        for match in pattern.finditer(dsn):
            value = match.group("pw").strip()
            if value.startswith("'"):
                value = value.strip("'")
            found.add(value)
            found.update(re.split(r"[\s@]+", value))  # libpq may split it there
    found.update({unquote(v) for v in found})
    found.discard("")
    return found


def remember_dsn(dsn: str | None) -> None:
    """Remember ``dsn`` so that :func:`redact` removes its password anywhere."""
    if not dsn or dsn in _remembered:
        return
    pieces = _passwords_of(dsn)
    secrets = frozenset(v for v in pieces if len(v) >= _MIN_SECRET)
    entry = (_redact_patterns(dsn), secrets, frozenset(pieces))
    with _lock:
        if len(_remembered) >= _MAX_REMEMBERED:
            _remembered.pop(next(iter(_remembered)))
        _remembered[dsn] = entry


def redact(text: str, dsn: str | None = None) -> str:
    """``text`` without any password (see the module docstring for what is removed)."""
    if not text:
        return text
    remember_dsn(dsn)
    text = _redact_patterns(text)
    with _lock:
        known = list(_remembered.values())
    # Quoted fragments first (a whole fragment masked, whichever remembered
    # password it belongs to), then every remembered password, the longest
    # first: a shorter password inside a longer one cannot leave part of the
    # longer one visible.
    for shown, _, pieces in known:

        def hide(match: re.Match[str], shown: str = shown, pieces: frozenset[str] = pieces) -> str:
            # A quoted fragment of the password (libpq quotes the token it
            # choked on): a whole piece, or a long enough part of one.
            fragment = match.group(1) or match.group(2)
            if fragment not in shown and (
                fragment in pieces
                or (len(fragment) >= _MIN_SECRET and any(fragment in p for p in pieces))
            ):
                quote = match.group(0)[0]
                return f"{quote}{MASK}{quote}"
            return match.group(0)

        text = _QUOTED.sub(hide, text)
    every = {secret for _, secrets, _ in known for secret in secrets}
    for secret in sorted(every, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def redact_dsn(dsn: str) -> str:
    """A DSN fit to show: its password replaced by a mask."""
    return redact(dsn, dsn)


# -- terminal output ------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``, ``\\u202e``).

    C0 and C1 controls (ESC, BEL, CR, newline ...), DEL and the bidirectional
    overrides: nothing stored in a database can move the cursor, recolour or
    rewrite what a terminal shows.
    """

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group(0))
        return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"

    return _CONTROL.sub(escape, text)


def for_display(text: str) -> str:
    """Redacted and escaped: what the command line prints for an error."""
    return escape_controls(redact(text))


# -- logging --------------------------------------------------------------


class RedactingFilter(logging.Filter):
    """A logging filter that redacts the message and traceback of each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format: keep the record as it is
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


#: The loggers :func:`install_log_filter` covers (a filter on a logger does
#: not apply to its children's records, so each is named).
FILTERED_LOGGERS = ("psycopg", "psycopg.pool", "babylon_sql")
_FILTER = RedactingFilter()


def install_log_filter() -> None:
    """Redact every record of the psycopg, psycopg.pool and babylon_sql loggers (idempotent)."""
    for name in FILTERED_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


install_log_filter()


# -- client programs ------------------------------------------------------


def split_password(dsn: str) -> tuple[str, str | None]:
    """``dsn`` as a keyword DSN without its password, and the password.

    A DSN libpq cannot parse raises :class:`ConfigurationError` with the
    password removed from libpq's reason.
    """
    remember_dsn(dsn)
    error: ConfigurationError | None = None
    try:
        params = conninfo_to_dict(dsn)
    except Exception as exc:
        error = ConfigurationError(
            f"malformed DSN {redact_dsn(dsn)!r}: {redact(str(exc).strip(), dsn)}; "
            "check its syntax (keyword=value pairs, or a postgresql:// URI with "
            "special characters percent-encoded)"
        )
    if error is not None:
        raise error  # outside the handler: libpq's text is not kept as __context__
    password = params.pop("password", None)
    if password is not None:
        params.pop("passfile", None)
    bare = make_conninfo("", **params)
    if redact(bare, dsn) != bare:
        # e.g. postgresql://u:P@SS@host: libpq takes "SS@host" as the host name.
        raise ConfigurationError(
            f"ambiguous DSN {redact_dsn(dsn)!r}: part of its password would be read as "
            "another field; percent-encode '@', ':', '/' and spaces in a URI password "
            "(or use keyword=value pairs with the password in single quotes)"
        )
    return bare, None if password is None else str(password)


def _passfile_field(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


@contextmanager
def client_environment(
    dsn: str, base: Mapping[str, str] | None = None
) -> Iterator[tuple[str, dict[str, str]]]:
    """A password-free DSN and an environment for ``pg_dump``/``psql``.

    With a password in ``dsn``, the environment's ``PGPASSFILE`` names a
    temporary file of mode 0600 holding it (``*:*:*:*:password``), removed
    when the block ends. ``BABYLON_DSN`` is left out of the environment.
    """
    bare, password = split_password(dsn)
    env = {k: v for k, v in (os.environ if base is None else base).items() if k != "BABYLON_DSN"}
    if password is None:
        yield bare, env
        return
    folder = Path(tempfile.mkdtemp(prefix="babylon-pgpass-"))
    passfile = folder / "pgpass"
    try:
        fd = os.open(passfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"*:*:*:*:{_passfile_field(password)}\n")
        env["PGPASSFILE"] = str(passfile)
        env.pop("PGPASSWORD", None)
        yield bare, env
    finally:
        passfile.unlink(missing_ok=True)
        folder.rmdir()
