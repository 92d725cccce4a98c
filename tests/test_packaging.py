"""An installed wheel carries its SQL catalogue and finds it without the repository."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_wheel_carries_queries_and_ddl_and_finds_them(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(REPO)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    wheel = next((tmp_path / "dist").glob("babylon_sql-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in REPO.joinpath("queries").rglob("*.sql"):
        assert f"babylon_sql/_sql/{rel.relative_to(REPO).as_posix()}" in names, rel
    for rel in REPO.joinpath("ddl").rglob("*.sql"):
        assert f"babylon_sql/_sql/{rel.relative_to(REPO).as_posix()}" in names, rel

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = (
        "import babylon_sql, babylon_sql.catalogue as c;"
        "print(c.sql_root());"
        "print(len(c.queries('pg').available_queries), len(c.ddl_layers('pg')));"
        "print(len(babylon_sql.RUNTIME_SCHEMA_DDL))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    assert out[0] == str(site / "babylon_sql" / "_sql")
    assert int(out[1].split()[0]) > 50
    layers = [p for p in REPO.joinpath("ddl", "pg").glob("*.sql") if p.name != "roles.sql"]
    assert int(out[1].split()[1]) == len(layers)
    assert int(out[2]) >= 1
