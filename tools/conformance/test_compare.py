"""compare.py's classification of cases and its floors (run by .ci/run):

    python3 -m unittest discover -s tools/conformance
"""

import unittest

import compare

UNSUPPORTED = (
    "mkdocs.yml:3:5: warning: Markdown extension `markdown.extensions.wikilinks` is not "
    "supported; its syntax is rendered as plain Markdown"
)
OPTION = (
    "mkdocs.yml:4:7: warning: Markdown extension `tables`: option `use_align_attribute` is "
    "not supported by dcrsite; the page renders as if it were not set"
)
CASE = {"test": "tests/test_syntax/extensions/test_tables.py", "extensions": ["tables"],
        "mkdocs_html": "<p>a</p>"}


class Classify(unittest.TestCase):
    def test_a_python_callable_is_skipped(self):
        skip = {"skip": "configuration is a Python object or callable"}
        self.assertEqual(compare.classify(CASE, skip), "skipped")
        self.assertEqual(compare.classify(dict(CASE, mkdocs_html=None), {}), "skipped")

    def test_a_warned_extension_or_option_is_not_claimed(self):
        for warning in (UNSUPPORTED, OPTION):
            result = {"html": "<p>a</p>", "warnings": [warning]}
            self.assertEqual(compare.classify(CASE, result), "not claimed")
        result = {"warnings": [UNSUPPORTED, OPTION]}
        self.assertEqual(
            compare.not_claimed(result), ["wikilinks", "tables: option use_align_attribute"]
        )

    def test_other_warnings_leave_a_case_claimed(self):
        result = {"html": "<p>b</p>", "warnings": ["docs/case.md:1:1: warning: unknown emoji"]}
        self.assertEqual(compare.classify(CASE, result), "claimed")


class Tally(unittest.TestCase):
    def test_rates_over_all_and_over_claimed(self):
        cases = [CASE, CASE, CASE, dict(CASE, skip=True)]
        results = {
            0: {"html": "<p>a</p>", "warnings": []},
            1: {"html": "<p>x</p>", "warnings": []},
            2: {"html": "<p>a</p>", "warnings": [OPTION]},
        }
        table, missing = compare.tally(cases, results)
        row = table["tables"]
        self.assertEqual((row["cases"], row["skipped"], row["not_claimed"]), (4, 1, 1))
        self.assertEqual(compare.rates(row), (200 / 3, 50.0))
        self.assertEqual(missing, {"tables: option use_align_attribute": 1})

    def test_a_rate_below_either_floor_fails(self):
        table = {"tables": dict(compare.new_row(), cases=4, passed=3, claimed=2,
                                claimed_passed=1)}
        self.assertEqual(compare.below_floors(table, {"tables": 75.0}), [])
        failures = compare.below_floors(table, {"tables": 75.0, "claimed": {"tables": 60.0}})
        self.assertEqual(len(failures), 1)
        self.assertIn("50.0% of the cases dcrsite claims pass", failures[0])
        self.assertEqual(len(compare.below_floors(table, {"tables": 80.0})), 1)

    def test_a_claimed_extension_without_a_claimed_floor_is_named(self):
        table = {"tables": dict(compare.new_row(), claimed=1), "b64": compare.new_row()}
        self.assertEqual(compare.unfloored(table, {}, {"tables", "b64"}), ["tables"])
        self.assertEqual(compare.unfloored(table, {"claimed": {"tables": 1}}, {"tables"}), [])

    def test_what_a_row_claims(self):
        row = dict(compare.new_row(), uses={"toc", "wikilinks"})
        self.assertTrue(compare.claims("toc", row, {"toc"}))
        self.assertTrue(compare.claims("pymdownx.blocks.admonitions", row,
                                       {"pymdownx.blocks.admonition"}))
        self.assertFalse(compare.claims("api", row, {"toc"}))
        self.assertTrue(compare.claims("core", compare.new_row(), set()))


if __name__ == "__main__":
    unittest.main()
