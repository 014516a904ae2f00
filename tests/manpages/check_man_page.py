#!/usr/bin/env python3
"""Checks a manual page against the command it documents.

    check_man_page.py PAGE COMMAND [ARG...]

The options the page describes (the tags of its OPTIONS section) must be exactly those that
`COMMAND [ARG...] --help` lists, its version those that `COMMAND --version` prints, and groff must
format it without a warning. Each difference is printed; the exit status is 1 when there is one.
"""

import re
import subprocess
import sys


def options_in_help(command):
    """The option names under "Options:" in the command's --help (`-n`, `--limit`, ...)."""
    text = subprocess.run(command + ["--help"], capture_output=True, text=True, check=True).stdout
    options = set()
    in_options = False
    for line in text.splitlines():
        if line.startswith("Options:"):
            in_options = True
        elif in_options and re.match(r"\s+-", line):
            options.update(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", line.split()[0]))
    return options


def options_in_page(page):
    """The option names of the tags (the line after each .TP) of the page's OPTIONS section."""
    lines = open(page, encoding="utf-8").read().splitlines()
    options = set()
    section = None
    for k, line in enumerate(lines):
        if line.startswith(".SH "):
            section = line[4:].strip().strip('"')
        elif section == "OPTIONS" and line == ".TP" and k + 1 < len(lines):
            tag = lines[k + 1].replace("\\-", "-")
            # The tag's words before its argument: `.BR \-n ", " \-\-limit " \fIN\fR"`.
            options.update(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", tag.split("\\f")[0]))
    return options


def page_version(page):
    header = open(page, encoding="utf-8").readline()
    found = re.search(r'"trouvere ([^"]+)"', header)
    return found.group(1) if found else None


def main():
    page, command = sys.argv[1], sys.argv[2:]
    problems = []
    in_help, in_page = options_in_help(command), options_in_page(page)
    for option in sorted(in_help - in_page):
        problems.append(f"{' '.join(command)} accepts {option}, which the page does not describe")
    for option in sorted(in_page - in_help):
        problems.append(f"the page describes {option}, which {' '.join(command)} does not accept")

    version = subprocess.run(command[:1] + ["--version"], capture_output=True, text=True,
                             check=True).stdout.split()[-1]
    if page_version(page) != version:
        problems.append(f"the page is of version {page_version(page)}, the command {version}")

    groff = subprocess.run(["groff", "-man", "-ww", "-z", "-Tutf8", page], capture_output=True,
                           text=True)
    if groff.returncode != 0 or groff.stderr:
        problems.append(f"groff: {groff.stderr.strip() or groff.returncode}")

    for problem in problems:
        print(f"{page}: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
