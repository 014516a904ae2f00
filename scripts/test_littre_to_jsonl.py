#!/usr/bin/env python3
"""Tests of littre_to_jsonl.py on a tiny StarDict dictionary built here: no download needed.

    python3 scripts/test_littre_to_jsonl.py

Runs the converter as a process, as scripts/fetch-corpus does, and checks its output byte for
byte; exits non-zero when a test fails.
"""

import gzip
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CONVERTER = os.path.join(HERE, "littre_to_jsonl.py")
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import littre_to_jsonl  # noqa: E402

REPEATED = tuple(f"littre-x4/r{r}.jsonl" for r in range(1, 5))
OUTPUTS = ("littre.jsonl", "littre-10.jsonl") + REPEATED


def files_under(folder):
    """Every file below `folder`, as a sorted list of paths relative to it."""
    return sorted(os.path.relpath(os.path.join(root, name), folder)
                  for root, _, names in os.walk(folder) for name in names)

# Articles in the dictionary's markup, and the text each must become.
ECOLE = ("<i><small>(é-ko-l') s. f.</small></i>\n\n"
         "<b>1°</b> Établissement où l'on enseigne.\n"
         "    Maître   d'école.\n\n",
         "(é-ko-l') s. f.\n1° Établissement où l'on enseigne.\nMaître d'école.")
HARNACHE = ("<i><small>(har-na-ché, chée) part. passé</small></i>\n    Couvert de harnais.",
            "(har-na-ché, chée) part. passé\nCouvert de harnais.")
BRILLER = ("Sel &amp; poivre, a &lt; b, caf&#233; et th&eacute;<br>suite<BR/>mo<b>t</b>s"
           " &lt;b&gt;non&lt;/b&gt; balise",
           "Sel & poivre, a < b, café et thé\nsuite\nmots <b>non</b> balise")
ZEBRE = ('<span foreground="#0000CD">Cele partie</span>, <span foreground="#B22222"></span>, '
         '<span foreground="#556B2F">Rois, 249</span>.\n'
         '<span foreground="#0000CD">Les B, les F</span>, <span foreground="#B22222">GRESSET'
         '</span>, <span foreground="#556B2F">Vert-Vert, IV</span>.',
         "Cele partie, Rois, 249.\nLes B, les F, GRESSET, Vert-Vert, IV.")
LETTER_B = ("<i><small>(bé) s. m.</small></i>\n    Seconde lettre de l'alphabet.",
            "(bé) s. m.\nSeconde lettre de l'alphabet.")
FILLERS = [(f"Article numéro {n}.", f"Article numéro {n}.") for n in range(1, 12)]


def build_dictionary(folder, entries, articles, compress=True):
    """Writes test.idx, test.dict(.dz) and test.ifo; `entries` are (headword, article index) in
    index order. Returns the three paths and the (offset, size) of each article."""
    blobs = [a.encode("utf-8") if isinstance(a, str) else a for a in articles]
    places = []
    offset = 0
    for blob in blobs:
        places.append((offset, len(blob)))
        offset += len(blob)
    idx = b"".join(word.encode("utf-8") + b"\0" + struct.pack(">II", *places[article])
                   for word, article in entries)
    idx_path = os.path.join(folder, "test.idx")
    with open(idx_path, "wb") as f:
        f.write(idx)
    data = b"".join(blobs)
    dict_path = os.path.join(folder, "test.dict.dz" if compress else "test.dict")
    with open(dict_path, "wb") as f:
        f.write(gzip.compress(data) if compress else data)
    ifo_path = os.path.join(folder, "test.ifo")
    with open(ifo_path, "w", encoding="utf-8") as f:
        f.write(f"StarDict's dict ifo file\nversion=2.4.2\nbookname=test\n"
                f"wordcount={len(entries)}\nidxfilesize={len(idx)}\nsametypesequence=g\n")
    return idx_path, dict_path, ifo_path, places


def run_converter(*args):
    return subprocess.run([sys.executable, CONVERTER, *args], capture_output=True, text=True)


def line(doc_id, title, body):
    return json.dumps({"id": doc_id, "title": title, "body": body}, ensure_ascii=False) + "\n"


class ConversionTest(unittest.TestCase):
    """A dictionary with shared articles, markup, entities and enough articles for a sample."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        folder = cls.tmp.name
        articles = [ECOLE[0], HARNACHE[0], BRILLER[0], ZEBRE[0], LETTER_B[0]]
        articles += [markup for markup, _ in FILLERS]
        entries = [
            ("ECOLE", 0), ("ÉCOLE", 0),
            ("HARNACHE, EE", 1), ("BRILLER.1", 2), ("HARNACHÉ, ÉE", 1), ("HARNACHÉ", 1),
            ("ZÈBRE", 3), ("A", 4), ("B", 4), ("F", 4),
        ]
        entries += [(f"MOT{n:02d}", 4 + n) for n in range(1, 12)]
        cls.idx, cls.dict, cls.ifo, _ = build_dictionary(folder, entries, articles)
        cls.out = os.path.join(folder, "out")
        cls.result = run_converter("--idx", cls.idx, "--dict", cls.dict, "--ifo", cls.ifo,
                                   "--out", cls.out)
        cls.expected_docs = [
            ("ÉCOLE", ECOLE[1]), ("HARNACHÉ, ÉE", HARNACHE[1]), ("BRILLER", BRILLER[1]),
            ("ZÈBRE", ZEBRE[1]), ("B", LETTER_B[1]),
        ] + [(f"MOT{n:02d}", text) for n, (_, text) in enumerate(FILLERS, start=1)]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def read(self, name):
        with open(os.path.join(self.out, name), encoding="utf-8", newline="") as f:
            return f.read()

    def test_succeeds_with_a_summary(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        self.assertEqual(self.result.stderr, "")
        self.assertRegex(self.result.stdout, r"entries read: +21\n")
        self.assertRegex(self.result.stdout, r"distinct articles: +16\n")
        self.assertRegex(self.result.stdout, r"duplicates dropped: +5 ")
        for name in REPEATED:
            self.assertRegex(self.result.stdout, re.escape(name) + r": 16 documents")

    def test_full_corpus_is_one_document_per_article_in_index_order(self):
        expected = "".join(line(f"littre-{n:06d}", title, body)
                           for n, (title, body) in enumerate(self.expected_docs, start=1))
        self.assertEqual(self.read("littre.jsonl"), expected)

    def test_sample_is_every_tenth_document_from_the_first(self):
        full = self.read("littre.jsonl").splitlines(keepends=True)
        self.assertEqual(self.read("littre-10.jsonl"), full[0] + full[10])

    def test_repeated_corpus_is_four_copies_with_suffixed_ids_one_per_file(self):
        full = [json.loads(text) for text in self.read("littre.jsonl").splitlines()]
        repeated = [json.loads(text) for name in REPEATED for text in self.read(name).splitlines()]
        self.assertEqual(len(repeated), 4 * len(full))
        expected = [dict(doc, id=f"{doc['id']}-r{r}") for r in range(1, 5) for doc in full]
        self.assertEqual(repeated, expected)
        self.assertEqual(len({doc["id"] for doc in repeated}), len(repeated))

    def test_output_is_utf8_one_object_per_line(self):
        text = self.read("littre.jsonl")
        self.assertIn('"title": "ÉCOLE"', text)
        self.assertNotIn("\r", text)
        self.assertTrue(text.endswith("}\n"))

    def test_no_temporary_file_is_left(self):
        self.assertEqual(files_under(self.out), sorted(OUTPUTS))

    def test_running_again_gives_the_same_files(self):
        out = os.path.join(self.tmp.name, "again")
        result = run_converter("--idx", self.idx, "--dict", self.dict, "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        for name in OUTPUTS:
            with open(os.path.join(out, name), "rb") as f:
                with open(os.path.join(self.out, name), "rb") as g:
                    self.assertEqual(f.read(), g.read(), name)


class MarkupTest(unittest.TestCase):
    """Markup to text, case by case."""

    def test_cases(self):
        cases = [
            ("<b>gras</b> et <i>italique</i>", "gras et italique"),
            ("mo<b>t</b>", "mot"),  # an inline tag does not cut a word
            ("un<br>deux<br/>trois<BR />quatre", "un\ndeux\ntrois\nquatre"),
            ("<p>un</p><p>deux</p>", "un\ndeux"),
            ("<div>un</div>\n\n\n<div>deux</div>", "un\ndeux"),
            ("a &amp; b &lt; c &gt; d &#233; &#xE9; &eacute; &quot;", 'a & b < c > d é é é "'),
            ("&lt;b&gt;", "<b>"),  # an escaped tag is text
            ("  espaces \t multiples  \n\n   ligne  ", "espaces multiples\nligne"),
            ("x\u00a0: y", "x : y"),
            ("texte brut > suite", "texte brut > suite"),
            ("a<!-- note -->b", "ab"),
            ("citation, <span foreground=\"#B22222\"></span>, source", "citation, source"),
            ('<span foreground="#0000CD">vers</span>', "vers"),
            ("", ""),
        ]
        for markup, text in cases:
            with self.subTest(markup=markup):
                self.assertEqual(littre_to_jsonl.markup_to_text(markup), text)

    def test_titles(self):
        cases = [
            (["ECOLE", "ÉCOLE"], "", "ÉCOLE"),
            (["HARNACHE, EE", "HARNACHÉ", "HARNACHÉ, ÉE"], "", "HARNACHÉ, ÉE"),
            (["FORNICATEUR", "FORNICATEUR, TRICE"], "", "FORNICATEUR, TRICE"),
            (["BOUCHETON", "BOUCHETON (À)", "À BOUCHETON"], "", "BOUCHETON (À)"),
            (["MITON", "MITON.1"], "", "MITON"),
            (["BRILLER.1"], "", "BRILLER"),
            (["PAS.2.2"], "", "PAS"),
            (["AMPHI..."], "", "AMPHI..."),
            (["A", "A.1", "B", "F", "Z"], "(bé) s. m.", "B"),
            (["C", "D", "X"], "(iks', ou…) s. m.", "X"),
            (["A", "B"], "(a) autre chose", "A"),
        ]
        for headwords, text, title in cases:
            with self.subTest(headwords=headwords):
                self.assertEqual(littre_to_jsonl.choose_title(headwords, text), title)


class BadInputTest(unittest.TestCase):
    """Bad input stops the run with a message naming the file and the byte, and writes nothing."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.folder = self.tmp.name
        self.out = os.path.join(self.folder, "out")
        entries = [("ECOLE", 0), ("ÉCOLE", 0), ("ZÈBRE", 1)]
        self.idx, self.dict, self.ifo, self.places = build_dictionary(
            self.folder, entries, [ECOLE[0], ZEBRE[0]])
        # Where the last entry starts in the index.
        self.last_entry = len("ECOLE".encode()) + len("ÉCOLE".encode()) + 2 * 9

    def tearDown(self):
        self.tmp.cleanup()

    def convert(self, *extra):
        return run_converter("--idx", self.idx, "--dict", self.dict, "--out", self.out, *extra)

    def assert_fails(self, result, *fragments):
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertEqual(result.stdout, "")
        for fragment in fragments:
            self.assertIn(fragment, result.stderr)
        self.assertEqual(result.stderr.count("\n"), 1, "one line, no traceback")
        if os.path.isdir(self.out):
            self.assertEqual(os.listdir(self.out), [])

    def rewrite(self, path, transform):
        with open(path, "rb") as f:
            data = f.read()
        with open(path, "wb") as f:
            f.write(transform(data))

    def test_idx_cut_inside_offset_and_size(self):
        self.rewrite(self.idx, lambda data: data[:-3])
        self.assert_fails(self.convert(), self.idx, f"truncated entry at byte {self.last_entry}")

    def test_idx_cut_inside_headword(self):
        self.rewrite(self.idx, lambda data: data[:self.last_entry + 2])
        self.assert_fails(self.convert(), self.idx, f"truncated entry at byte {self.last_entry}",
                          "no terminating NUL")

    def test_idx_cut_between_entries_is_caught_by_the_ifo(self):
        self.rewrite(self.idx, lambda data: data[:self.last_entry])
        self.assert_fails(self.convert("--ifo", self.ifo), self.idx, self.ifo, "idxfilesize")

    def test_offset_past_the_end_of_the_dictionary(self):
        bad = struct.pack(">II", self.places[1][0], self.places[1][1] + 1)
        self.rewrite(self.idx, lambda data: data[:-8] + bad)
        end = self.places[1][0] + self.places[1][1]
        self.assert_fails(self.convert(), self.idx, self.dict,
                          f"at byte {self.last_entry}", f"past its end ({end} bytes")

    def test_invalid_utf8_in_a_headword(self):
        self.rewrite(self.idx, lambda data: b"EC\xffLE" + data[5:])
        self.assert_fails(self.convert(), self.idx, "invalid UTF-8 at byte 2")

    def test_invalid_utf8_in_an_article(self):
        broken = ECOLE[0].encode()[:10] + b"\xc3(" + ECOLE[0].encode()[12:]
        idx, dict_path, _, _ = build_dictionary(self.folder, [("ECOLE", 0)], [broken])
        result = run_converter("--idx", idx, "--dict", dict_path, "--out", self.out)
        self.assert_fails(result, dict_path, "invalid UTF-8 at byte 10")

    def test_damaged_compressed_dictionary(self):
        self.rewrite(self.dict, lambda data: data[:len(data) // 2])
        self.assert_fails(self.convert(), self.dict, "damaged compressed data")

    def test_missing_file(self):
        os.unlink(self.dict)
        self.assert_fails(self.convert(), self.dict, "cannot read")

    def test_failure_keeps_earlier_outputs(self):
        self.assertEqual(self.convert().returncode, 0)
        before = {}
        for name in OUTPUTS:
            with open(os.path.join(self.out, name), "rb") as f:
                before[name] = f.read()
        self.rewrite(self.idx, lambda data: data[:-3])
        result = self.convert()
        self.assertEqual(result.returncode, 1)
        self.assertEqual(files_under(self.out), sorted(OUTPUTS))
        for name in OUTPUTS:
            with open(os.path.join(self.out, name), "rb") as f:
                self.assertEqual(f.read(), before[name], name)

    def test_uncompressed_dictionary_is_read_too(self):
        idx, dict_path, _, _ = build_dictionary(self.folder, [("ZÈBRE", 0)], [ZEBRE[0]],
                                                compress=False)
        result = run_converter("--idx", idx, "--dict", dict_path, "--out", self.out)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(self.out, "littre.jsonl"), encoding="utf-8") as f:
            self.assertEqual(f.read(), line("littre-000001", "ZÈBRE", ZEBRE[1]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
