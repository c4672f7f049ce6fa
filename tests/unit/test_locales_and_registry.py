"""Every string exists in both languages; every metric has a label and description in each."""

from __future__ import annotations

import re
from pathlib import Path

from metrics.registry import METRICS
from ui.i18n import LANGS, catalog

ROOT = Path(__file__).resolve().parents[2]


def test_latvian_and_english_have_the_same_keys_and_placeholders():
    lv, en = catalog("lv"), catalog("en")
    assert set(lv) == set(en)
    for key in lv:
        assert set(re.findall(r"{(\w+)}", lv[key])) == set(re.findall(r"{(\w+)}", en[key])), key
        assert lv[key].strip() and en[key].strip(), key


def test_every_metric_is_labelled_and_described_in_both_languages():
    for lang in LANGS:
        strings = catalog(lang)
        for metric_id in METRICS:
            assert strings.get(f"metrics.{metric_id}.label"), (lang, metric_id)
            assert strings.get(f"metrics.{metric_id}.description"), (lang, metric_id)


def test_every_table_has_its_name_in_both_languages():
    """The Data page's validation report and log name each table in the reader's language (an
    onboarding workbook's school history read "school_event" in the Latvian report)."""
    from data_loaders.tables import TABLES

    for lang in LANGS:
        strings = catalog(lang)
        assert [table for table in TABLES if not strings.get(f"data.tables.{table}")] == [], lang


def test_every_key_used_in_the_code_exists():
    used = set()
    code = [ROOT / "app" / "main.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("presentation/*.py")]
    for path in code:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "the scan found no keys"
    keys = catalog("lv")
    # a key ending in "." is a prefix completed at run time: some key must start with it
    missing = sorted(
        k
        for k in used
        if (k not in keys if not k.endswith(".") else not any(map(str.startswith, keys, [k] * len(keys))))
    )
    assert missing == []


def test_pages_write_no_sql():
    """Pages never write SQL (the imports of every layer are import-linter's contracts in pyproject.toml)."""
    for path in ROOT.glob("pages/*.py"):
        assert "SELECT " not in path.read_text(encoding="utf-8"), path


def test_every_page_url_is_its_file_name():
    """A cold server routes a deep link by the page file's name before st.navigation runs."""
    from ui.navigation import PAGES

    for spec in PAGES:
        assert spec.url_path == Path(spec.file).stem, spec
        assert (ROOT / spec.file).exists(), spec


def test_shared_sql_is_included_where_it_is_named():
    from metrics.query import SQL_DIR, sql_text

    shared = sql_text("outcome_cells.sql")
    for name in ("outcome_by_school.sql", "outcome_by_year.sql"):
        raw = (SQL_DIR / name).read_text(encoding="utf-8")
        assert "-- include: outcome_cells.sql" in raw and shared not in raw
        expanded = sql_text(name)
        assert not re.search(r"^-- include:", expanded, re.MULTILINE) and shared.rstrip("\n") in expanded


def test_programme_documents_read_as_their_titles_in_captions():
    from presentation.text import readable_sources

    sources = [
        "000_1fa73b8ac5d971ff.txt | 3.2.tab.",
        "004_b7416a05c39121db.txt | 1.9. tabula",
        "000_1fa73b8ac5d971ff.txt | 1.1.tab. 2022./2023.m.g.; 2023./2024.m.g.",  # one source with "; " in it
        "import: annex 6 (x.xlsx)",
        "000_1fa73b8ac5d971ff.txt | 3.2.tab.",  # named twice: read once
    ]
    assert readable_sources(sources, "lv") == (
        "Ludzas novada PMP prevencijas sistēma un ieviešanas plāns 2024–2027: "
        "3.2.tab.; 1.1.tab. 2022./2023.m.g.; 2023./2024.m.g. · "
        "Jēkabpils novada PMP prevencijas sistēma un ieviešanas plāns 2024–2028: 1.9. tabula · import: annex 6 (x.xlsx)"
    )
    assert readable_sources("999_0123456789abcdef.txt | 1. tabula", "en") == "999_0123456789abcdef.txt | 1. tabula"
    seeds = {p.name for p in (ROOT.parent / "shared" / "seeds").glob("*.txt")}
    for lang in LANGS:  # every programme document of the seeds has a title in both languages
        assert all(".txt" not in readable_sources(f"{name} | 1. tabula", lang) for name in seeds)


def test_the_apps_own_sources_read_in_the_users_language():
    from presentation.text import readable_sources

    synthetic = "synthetic: data_loaders/synthetic.py (seed 2024); not a real figure"
    assert readable_sources(synthetic, "lv") == (
        "sintētiski dati, izdomāti demonstrācijai (data_loaders/synthetic.py, sēkla 2024), nav reāli skaitļi"
    )
    imported = "import: annex 6 demo_ezermalas_vidusskola 2025/2026 (ezermala.xlsx)"  # the import id is a column
    said = "school report (annex 6, 2025/2026) imported from the file “ezermala.xlsx”"
    assert readable_sources(imported, "en") == said
    national = "synthetic national-scale data: data_loaders/synthetic.py --scale (seed 2024); not a real figure"
    assert readable_sources([national, synthetic], "en") == (
        "synthetic data made up for the demo (data_loaders/synthetic.py, seed 2024), not real figures"
    )  # the same words once
    assert readable_sources([synthetic, "Norma: 0,3 slodzes"], "lv") == (
        "sintētiski dati, izdomāti demonstrācijai (data_loaders/synthetic.py, sēkla 2024), nav reāli skaitļi · "
        "Norma: 0,3 slodzes"
    )  # a rule stated after the source
    assert readable_sources("a planner's own note", "lv") == "a planner's own note"  # anything else as stored


def test_the_filter_predicate_is_the_one_macro():
    """ "An empty choice means all" is written once (``_macros.sql``); the SQL files call it."""
    from metrics.query import MACROS, SQL_DIR

    for path in SQL_DIR.glob("*.sql"):
        if path.name != MACROS:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"len\(\$\w+[^)]*\) = 0\s+OR", text), f"{path.name}: use the macros of {MACROS}"


def test_the_problems_left_unlisted_are_counted_in_the_languages_plural_forms():
    from presentation.text import t

    assert t("data.problem.more_problems", "en", n=1) == "… and 1 more problem."
    assert t("data.problem.more_problems", "en", n=3) == "… and 3 more problems."
    assert t("data.problem.more_problems", "lv", n=21) == "… un vēl 21 problēma."
    assert t("data.problem.more_problems", "lv", n=12) == "… un vēl 12 problēmas."
