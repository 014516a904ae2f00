#!/usr/bin/env python3
"""Converts the XMLittré StarDict dictionary (Debian's stardict-xmlittre) to JSON Lines.

    littre_to_jsonl.py --idx XMLittre.idx --dict XMLittre.dict.dz [--ifo XMLittre.ifo] --out DIR

Writes into DIR, one {"id", "title", "body"} object a line, as `search-index` reads:

  littre.jsonl     one document per distinct article
  littre-10.jsonl  every tenth document (the 1st, 11th, 21st…): quick runs and smoke tests
  littre-x4/       the whole corpus four times, one copy per file (r1.jsonl … r4.jsonl), ids
                   suffixed -r1 … -r4: index growth curves. Four files, not one: search-index
                   reads at most 256 MiB of a .jsonl file, and the four copies take 290 MB

and prints a summary on standard output.

Decisions:
- One document per article, not per headword. About 45,000 of the 122,910 index entries are
  extra names for an article already named (ECOLE and ÉCOLE, HARNACHÉ and HARNACHÉ, ÉE point at
  the same bytes). Indexing each name would store the same text up to 24 times: the index would
  be bigger than the text warrants, and the duplicated articles would skew term statistics and
  rankings, making comparisons with other engines meaningless. Articles are identified by their
  place in the dictionary (offset and size); distinct articles whose text happens to be the same
  (a few one-line cross-references) stay distinct.
- The title is the article's most complete name: the headword with the most non-ASCII
  characters (the accented spelling over its unaccented double), then the longest ("HARNACHÉ, ÉE"
  over "HARNACHÉ"), then the first in index order. The homonym number the index appends to keep
  its keys apart ("BRILLER.1") is dropped: the dictionary's headword is BRILLER. One flaw of
  the index is corrected: it names the article on the letter B "A", "B", "F", "Z" and the one on
  X "C" … "Y" (the other letters have no article); those two are titled B and X.
- Ids are "littre-" and the article's rank, from 1, in order of first appearance in the index,
  zero-padded to six digits. They are unique, and stable as long as the package's data is.
- The body is the article as plain text. Markup tags are removed (inline ones such as <b> or
  <span> without adding spaces, so that no word is cut); <br>, <p>, <div> and the like end a
  line; entities (&amp;, &lt;, &#233;…) are decoded after the tags are removed, so an escaped
  "&lt;b&gt;" stays text. Runs of spaces become one space, each line is trimmed, blank lines are
  dropped: paragraphs are separated by a single "\\n". Quotation sources come as three coloured
  spans, "quote, author, work"; an empty author span is dropped with its comma, so that no ", ,"
  is left behind.
- A repeated corpus is not a bigger corpus. In littre-x4/ the vocabulary does not grow and
  every term is in exactly four times as many documents, whereas a real corpus four times as big
  would bring new words and uneven document frequencies: it measures how index size and speed
  grow with volume, not how term statistics do.

Input is checked rather than trusted: a truncated index, an entry pointing past the end of the
dictionary, invalid UTF-8 or a damaged compressed file stop the conversion with a message naming
the file and the byte offset, and exit status 1 (2 for bad arguments). Outputs are written to
temporary files renamed into place only once all of them are complete, so a failed run leaves
earlier outputs as they were and no partial file behind.

Standard library only. Memory: the decompressed dictionary (about 100 MB), the index, and one
article at a time; about 170 MB at the peak for the Littré, which takes about 10 s.
"""

import argparse
import gzip
import html
import json
import os
import re
import struct
import sys
import zlib

OUTPUT_FULL = "littre.jsonl"
OUTPUT_SAMPLE = "littre-10.jsonl"
SAMPLE_EVERY = 10
REPEATS = 4
OUTPUT_REPEATED_DIR = "littre-x4"
OUTPUTS_REPEATED = [f"{OUTPUT_REPEATED_DIR}/r{repeat}.jsonl" for repeat in range(1, REPEATS + 1)]


class InputError(Exception):
    """Bad input data; the message names the file and the byte offset."""


# ----------------------------------------------------------------------------------------------
# Reading the StarDict files

def _ifo_number(info, key, default, path):
    value = info.get(key)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise InputError(f"{path}: {key}={value!r} is not a number") from None


def read_ifo(path):
    """The key=value lines of a StarDict .ifo file, as a dict."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: invalid UTF-8 at byte {error.start}") from None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "StarDict's dict ifo file":
        raise InputError(f"{path}: not a StarDict .ifo file (bad first line at byte 0)")
    info = {}
    for line in lines[1:]:
        key, sep, value = line.partition("=")
        if sep:
            info[key.strip()] = value.strip()
    return info


def read_idx(path, offset_bits=32):
    """The entries of a StarDict .idx file: a list of (headword, offset, size, idx_position).

    Each entry is a NUL-terminated UTF-8 headword followed by a big-endian offset (32 or 64 bits)
    and a big-endian 32-bit size, both counted in bytes of the decompressed dictionary.
    """
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    number = struct.Struct(">QI" if offset_bits == 64 else ">II")
    entries = []
    position = 0
    end = len(data)
    while position < end:
        nul = data.find(b"\0", position)
        if nul < 0:
            raise InputError(
                f"{path}: truncated entry at byte {position}: headword has no terminating NUL")
        if nul + 1 + number.size > end:
            raise InputError(
                f"{path}: truncated entry at byte {position}: {end - nul - 1} of "
                f"{number.size} bytes of offset and size after the headword")
        raw_word = data[position:nul]
        if not raw_word:
            raise InputError(f"{path}: empty headword at byte {position}")
        try:
            word = raw_word.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputError(f"{path}: invalid UTF-8 at byte {position + error.start} "
                             f"(headword of the entry at byte {position})") from None
        offset, size = number.unpack_from(data, nul + 1)
        entries.append((word, offset, size, position))
        position = nul + 1 + number.size
    if not entries:
        raise InputError(f"{path}: no entries (empty file)")
    return entries, end


def read_dict(path):
    """The dictionary's bytes, decompressed if the file is gzip or dictzip."""
    try:
        with open(path, "rb") as f:
            magic = f.read(2)
            f.seek(0)
            if magic != b"\x1f\x8b":
                return f.read()
            # dictzip is gzip with a random-access table in an extra header field. Reading in
            # chunks keeps one copy of the text in memory, not two.
            data = bytearray()
            with gzip.GzipFile(fileobj=f) as z:
                while chunk := z.read(1 << 20):
                    data += chunk
            return data
    except OSError as error:
        if error.strerror:
            raise InputError(f"{path}: cannot read: {error.strerror}") from None
        raise InputError(f"{path}: damaged compressed data: {error}") from None
    except (EOFError, zlib.error) as error:
        raise InputError(f"{path}: damaged compressed data: {error}") from None


# ----------------------------------------------------------------------------------------------
# Markup to text

# Tags, comments and processing instructions. A "<" that starts none of them is text.
_TAG = re.compile(r"<!--.*?-->|<[!?][^>]*>|</?([A-Za-z][A-Za-z0-9]*)\b[^>]*>", re.S)
# An element that holds nothing, e.g. the author slot of an anonymous quotation, together with
# the ", " that introduces it.
_EMPTY_SPAN = re.compile(r"(?:,[ \t]*)?<span\b[^>]*>\s*</span>")
# Elements that start a new line in a rendering.
_BLOCK_TAGS = frozenset("""
    br p div li ul ol dl dt dd tr table blockquote pre hr h1 h2 h3 h4 h5 h6
""".split())
_SPACES = re.compile(r"[^\S\n]+")


def _tag_replacement(match):
    name = match.group(1)
    if name and name.lower() in _BLOCK_TAGS:
        return "\n"
    return ""


def markup_to_text(markup):
    """Plain text of an article in StarDict's Pango or HTML markup: see the module comment."""
    text = _EMPTY_SPAN.sub("", markup)
    text = _TAG.sub(_tag_replacement, text)
    text = html.unescape(text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# ----------------------------------------------------------------------------------------------
# Titles

_HOMONYM_NUMBER = re.compile(r"(?:\.\d+)+$")


def clean_headword(word):
    """The headword without the index's homonym number: "BRILLER.1" → "BRILLER"."""
    stripped = _HOMONYM_NUMBER.sub("", word).strip()
    return stripped or word.strip()


# XMLittré 1.0's index names the article on the letter B "A", "B", "F" and "Z", and the one on
# the letter X "C" to "Y": for an article named only by single letters, the pronunciation that
# opens it says which letter it is about.
_LETTER_ARTICLES = {"(bé)": "B", "(iks'": "X"}
_SINGLE_LETTER = re.compile(r"\w(?:\.\d+)*")


def choose_title(headwords, text=""):
    """The most complete of an article's names (see the module comment); `headwords` is in
    index order, `text` is the article as plain text."""
    if len(headwords) > 1 and all(_SINGLE_LETTER.fullmatch(w) for w in headwords):
        for opening, letter in _LETTER_ARTICLES.items():
            if text.startswith(opening):
                return letter
    def rank(item):
        position, word = item
        non_ascii = sum(1 for c in word if ord(c) > 127)
        return (-non_ascii, -len(word), position)
    cleaned = [(i, clean_headword(w)) for i, w in enumerate(headwords)]
    return min(cleaned, key=rank)[1]


# ----------------------------------------------------------------------------------------------
# Conversion

def group_articles(entries, dict_size, idx_path, dict_path):
    """The distinct articles, in order of first appearance: a list of (offset, size, headwords)."""
    articles = {}
    for word, offset, size, position in entries:
        if offset + size > dict_size:
            raise InputError(
                f"{idx_path}: entry \"{word}\" at byte {position} points to bytes "
                f"{offset}..{offset + size} of {dict_path}, past its end "
                f"({dict_size} bytes decompressed)")
        article = articles.get((offset, size))
        if article is None:
            articles[(offset, size)] = [word]
        else:
            article.append(word)
    return [(offset, size, words) for (offset, size), words in articles.items()]


def document_line(doc_id, title, body):
    return json.dumps({"id": doc_id, "title": title, "body": body}, ensure_ascii=False) + "\n"


class Outputs:
    """The output files, written under temporary names until commit()."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.names = [OUTPUT_FULL, OUTPUT_SAMPLE, *OUTPUTS_REPEATED]
        suffix = f".tmp-{os.getpid()}"
        self.temp = {n: os.path.join(out_dir, n + suffix) for n in self.names}
        self.files = {}

    def __enter__(self):
        os.makedirs(os.path.join(self.out_dir, OUTPUT_REPEATED_DIR), exist_ok=True)
        for name in self.names:
            self.files[name] = open(self.temp[name], "w", encoding="utf-8", newline="\n")
        return self

    def __exit__(self, exc_type, exc, tb):
        for f in self.files.values():
            f.close()
        if exc_type is not None:
            for path in self.temp.values():
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass
            try:  # removed only if empty, so earlier outputs stay
                os.rmdir(os.path.join(self.out_dir, OUTPUT_REPEATED_DIR))
            except OSError:
                pass
        return False

    def commit(self):
        for f in self.files.values():
            f.flush()
            os.fsync(f.fileno())
            f.close()
        for name in self.names:
            os.replace(self.temp[name], os.path.join(self.out_dir, name))


def convert(idx_path, dict_path, out_dir, ifo_path=None):
    """Converts and writes the files; returns the figures for the summary."""
    offset_bits = 32
    if ifo_path:
        info = read_ifo(ifo_path)
        offset_bits = _ifo_number(info, "idxoffsetbits", 32, ifo_path)
        if offset_bits not in (32, 64):
            raise InputError(f"{ifo_path}: unsupported idxoffsetbits={offset_bits}")
        kind = info.get("sametypesequence", "")
        if kind not in ("g", "h", "m", "x"):
            raise InputError(f"{ifo_path}: unsupported sametypesequence={kind!r} "
                             "(expected one of g, h, m, x)")

    entries, idx_size = read_idx(idx_path, offset_bits)
    if ifo_path:
        expected_size = _ifo_number(info, "idxfilesize", idx_size, ifo_path)
        if expected_size != idx_size:
            raise InputError(f"{idx_path}: {idx_size} bytes, but {ifo_path} says "
                             f"idxfilesize={expected_size}: truncated or wrong file")
        expected_count = _ifo_number(info, "wordcount", len(entries), ifo_path)
        if expected_count != len(entries):
            raise InputError(f"{idx_path}: {len(entries)} entries, but {ifo_path} says "
                             f"wordcount={expected_count}")

    data = read_dict(dict_path)
    articles = group_articles(entries, len(data), idx_path, dict_path)
    width = max(6, len(str(len(articles))))

    figures = {
        "entries": len(entries),
        "articles": len(articles),
        "duplicates": len(entries) - len(articles),
        "dict_bytes": len(data),
        "body_bytes": 0,
        "files": {},
    }
    counts = {name: 0 for name in (OUTPUT_FULL, OUTPUT_SAMPLE, *OUTPUTS_REPEATED)}
    os.makedirs(out_dir, exist_ok=True)
    with Outputs(out_dir) as outputs:
        full = outputs.files[OUTPUT_FULL]
        sample = outputs.files[OUTPUT_SAMPLE]
        for number, (offset, size, headwords) in enumerate(articles, start=1):
            raw = data[offset:offset + size]
            try:
                markup = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise InputError(
                    f"{dict_path}: invalid UTF-8 at byte {offset + error.start} of the "
                    f"decompressed dictionary (article \"{headwords[0]}\")") from None
            body = markup_to_text(markup)
            figures["body_bytes"] += len(body.encode("utf-8"))
            line = document_line(f"littre-{number:0{width}d}", choose_title(headwords, body), body)
            full.write(line)
            counts[OUTPUT_FULL] += 1
            if (number - 1) % SAMPLE_EVERY == 0:
                sample.write(line)
                counts[OUTPUT_SAMPLE] += 1
        del data

        # The repeated corpus is copied from the full one, splicing a suffix into each id. Every
        # line starts with '{"id": "littre-…"', written just above.
        full.flush()
        prefix = '{"id": "littre-'
        id_end = len(prefix) + width
        for repeat in range(1, REPEATS + 1):
            suffix = f"-r{repeat}"
            name = OUTPUTS_REPEATED[repeat - 1]
            repeated = outputs.files[name]
            with open(outputs.temp[OUTPUT_FULL], encoding="utf-8", newline="\n") as source:
                for line in source:
                    if not (line.startswith(prefix) and line[id_end] == '"'):
                        raise RuntimeError(f"unexpected line in {OUTPUT_FULL}: {line[:40]!r}")
                    repeated.write(line[:id_end] + suffix + line[id_end:])
                    counts[name] += 1
        outputs.commit()

    for name in counts:
        figures["files"][name] = (counts[name], os.path.getsize(os.path.join(out_dir, name)))
    return figures


def print_summary(figures, out_dir, stream=sys.stdout):
    mb = 1e6
    print(f"entries read:        {figures['entries']:>9,}", file=stream)
    print(f"distinct articles:   {figures['articles']:>9,}", file=stream)
    print(f"duplicates dropped:  {figures['duplicates']:>9,}  (extra headwords of an article)",
          file=stream)
    print(f"dictionary markup:   {figures['dict_bytes'] / mb:>9.1f} MB", file=stream)
    print(f"body text:           {figures['body_bytes'] / mb:>9.1f} MB", file=stream)
    for name, (documents, size) in figures["files"].items():
        path = os.path.join(out_dir, name)
        print(f"{path}: {documents:,} documents, {size / mb:.1f} MB", file=stream)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Converts the XMLittré StarDict dictionary to JSON Lines for search-index.")
    parser.add_argument("--idx", required=True, help="the .idx file")
    parser.add_argument("--dict", required=True, help="the .dict or .dict.dz file")
    parser.add_argument("--ifo", help="the .ifo file: checks the index's size and entry count")
    parser.add_argument("--out", required=True, help="output folder (created if missing)")
    args = parser.parse_args(argv)
    try:
        figures = convert(args.idx, args.dict, args.out, args.ifo)
    except InputError as error:
        print(f"littre_to_jsonl: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"littre_to_jsonl: {error.filename or args.out}: {error.strerror}", file=sys.stderr)
        return 1
    print_summary(figures, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
