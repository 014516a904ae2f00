"""`cmake --install` puts the package under the prefix, where it imports and finds the library it
was installed with."""

import os
import pathlib
import subprocess
import sys

from conftest import CORPUS

# Run in a fresh interpreter that sees only the installed package: indexes the bundled articles
# and searches them, and says which files it loaded.
PROGRAM = """
import sys, trouvere
database, corpus = sys.argv[1:]
with trouvere.IndexWriter(database) as writer:
    print(writer.index_paths([corpus]).added)
with trouvere.Searcher(database) as searcher:
    print(searcher.search("accord militaire", limit=1).hits[0].id)
print(trouvere.__file__)
print(next(line.split()[-1] for line in open("/proc/self/maps") if "libtrouvere.so" in line))
"""


def test_the_installed_package_imports_from_the_prefix_and_searches(tmp_path):
    prefix = tmp_path / "prefix"
    subprocess.run([os.environ["TROUVERE_CMAKE"], "--install", os.environ["TROUVERE_BUILD_DIR"],
                    "--prefix", str(prefix)], check=True, capture_output=True)
    site = prefix / os.environ["TROUVERE_PYTHON_INSTALL_DIR"]
    assert sorted(path.name for path in (site / "trouvere").iterdir())[0] == "__init__.py"

    environment = dict(os.environ, PYTHONPATH=str(site))
    ran = subprocess.run([sys.executable, "-c", PROGRAM, str(tmp_path / "db"), str(CORPUS)],
                         check=True, capture_output=True, text=True, env=environment,
                         cwd=tmp_path)
    added, first, package, library = ran.stdout.splitlines()
    assert added == "5"
    assert first == "000_dbeda49fb9d40084.txt"
    assert pathlib.Path(package) == site / "trouvere" / "__init__.py"
    assert pathlib.Path(library).is_relative_to(prefix)
