"""Zip archives that must not be read: corrupt, unsupported, encrypted, bombs."""

from __future__ import annotations

import struct
import zipfile

import pytest
from click.testing import CliRunner
from datahelpers import row

from peelstats.data import archive as archive_module
from peelstats.data.archive import HEADER_TEXT, Archive
from peelstats.data.prepare import read_archive
from peelstats.errors import InputFileError
from peelstats.run.cli import cli

NAME = "2019-01/2019-01-durham-stop-and-search.csv"
CONTENT = ("\n".join([HEADER_TEXT, row(), row(Outcome="Arrest")]) + "\n").encode()


def make_zip(path, members: dict[str, bytes], method=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def patch_headers(path, *, method: int | None = None, flags: int | None = None) -> None:
    """Set the compression method and/or general-purpose flags of every member, in the local
    headers and in the central directory alike."""
    data = bytearray(path.read_bytes())
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            if flags is not None:
                old = struct.unpack_from("<H", data, at + flag_at)[0]
                struct.pack_into("<H", data, at + flag_at, old | flags)
            if method is not None:
                struct.pack_into("<H", data, at + method_at, method)
            start = at + 4
    path.write_bytes(bytes(data))


def error_of(path) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        read_archive(path, progress=False)
    assert "\n" not in str(info.value)
    return info.value


def test_sound_zip_reads(tmp_path):
    data = read_archive(make_zip(tmp_path / "a.zip", {NAME: CONTENT}), progress=False)
    assert len(data.records) == 2


def test_bad_crc(tmp_path):
    path = make_zip(tmp_path / "a.zip", {NAME: CONTENT})
    raw = path.read_bytes()
    at = raw.index(b"Arrest")
    path.write_bytes(raw[:at] + b"Brrest" + raw[at + 6 :])  # same length, different bytes
    err = error_of(path)
    assert err.file == NAME
    assert "bad CRC-32" in str(err)


def test_unsupported_compression_method(tmp_path):
    path = make_zip(tmp_path / "a.zip", {NAME: CONTENT})
    patch_headers(path, method=99)  # 99 = AES (WinZip), not readable by peelstats
    err = error_of(path)
    assert err.file == NAME
    assert "compression method 99" in str(err)


def test_encrypted_member(tmp_path):
    path = make_zip(tmp_path / "a.zip", {NAME: CONTENT})
    patch_headers(path, flags=0x1)
    err = error_of(path)
    assert err.file == NAME and "encrypted" in str(err)


def test_not_a_zip_at_all(tmp_path):
    path = tmp_path / "a.zip"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputFileError, match="not a folder or a"):
        Archive(path)


def test_truncated_zip(tmp_path):
    path = make_zip(tmp_path / "a.zip", {NAME: CONTENT})
    path.write_bytes(path.read_bytes()[:-30])  # the central directory cut short
    with pytest.raises(InputFileError):
        Archive(path)


def test_zip_bomb_ratio_refused_before_reading(tmp_path, monkeypatch):
    bomb = HEADER_TEXT.encode() + b"\n" + b"0" * (4 << 20)  # 4 MiB of zeros deflate ~1000:1
    path = make_zip(tmp_path / "a.zip", {NAME: bomb}, method=zipfile.ZIP_DEFLATED)

    def never(*args):
        raise AssertionError("a member was read")

    monkeypatch.setattr(archive_module, "_read_member", never)
    with pytest.raises(InputFileError) as info:
        Archive(path)
    assert info.value.file == NAME
    assert "ZIP_MAX_RATIO" in str(info.value) and "zip bomb" in str(info.value)


def test_zip_total_size_bound(tmp_path, monkeypatch):
    other = NAME.replace("durham", "cleveland")
    path = make_zip(
        tmp_path / "a.zip", {NAME: CONTENT, other: CONTENT}, method=zipfile.ZIP_DEFLATED
    )
    monkeypatch.setattr(archive_module, "ZIP_MAX_TOTAL_BYTES", len(CONTENT) + 10)
    with pytest.raises(InputFileError, match="ZIP_MAX_TOTAL_BYTES"):
        Archive(path)
    monkeypatch.setattr(archive_module, "ZIP_MAX_TOTAL_BYTES", 2 * len(CONTENT))
    assert len(Archive(path).entries) == 2  # the bound is on the total, inclusive


def test_member_over_the_bound_is_not_opened(tmp_path, monkeypatch):
    path = make_zip(tmp_path / "a.zip", {NAME: CONTENT}, method=zipfile.ZIP_DEFLATED)
    archive = Archive(path)
    monkeypatch.setattr(archive_module, "ZIP_MAX_TOTAL_BYTES", 100)
    monkeypatch.setattr(archive._zip, "open", lambda *a, **k: pytest.fail("member opened"))
    with pytest.raises(InputFileError, match="ZIP_MAX_TOTAL_BYTES"):
        archive.read_bytes(archive.entries[0])


def test_cli_one_line_exit_2(tmp_path, data_dir):
    path = make_zip(tmp_path / "a.zip", {NAME: CONTENT})
    patch_headers(path, flags=0x1)
    result = CliRunner().invoke(cli, ["prepare", "-q", "--archive", str(path)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"peelstats: error: {NAME}: the zip member is encrypted "
        "(expected an unencrypted zip archive)"
    ]
    assert not any((data_dir / "processed").iterdir())
