"""Build hook: ship the repository's ``queries/`` and ``ddl/`` inside the wheel.

The SQL catalogue lives at the top of the repository, where DBAs edit it. A
wheel must carry it too, so ``build_py`` copies both trees into
``babylon_sql/_sql/``; :mod:`babylon_sql.catalogue` looks there first and falls
back to the repository (editable installs).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithSql(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "babylon_sql" / "_sql"
        for tree in ("queries", "ddl"):
            src = HERE / tree
            dst = target / tree
            if dst.exists():
                shutil.rmtree(dst)
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildWithSql})
