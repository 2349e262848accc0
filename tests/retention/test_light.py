from __future__ import annotations

import subprocess
import sys


def test_help_does_not_import_duckdb():
    code = (
        "import sys\n"
        "from toolkit.cli import app\n"
        "from typer.testing import CliRunner\n"
        "for args in (['--help'], ['metrics', '--help'], ['audience', '--help']):\n"
        "    r = CliRunner().invoke(app, args)\n"
        "    assert r.exit_code == 0, r.output\n"
        "print(' '.join(m for m in ('duckdb', 'pandas', 'pyarrow') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
