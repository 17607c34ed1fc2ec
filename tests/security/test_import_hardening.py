"""The importer refuses bad input with one clear problem and leaves the previous data as it was (issue 11, item 5).

A header-only required file, an oversized field, a link out of the folder, a file that is not UTF-8:
each is an `ImportFailed` naming the file (and line and column where there is one), never a traceback,
never the content of a file outside the folder, and never a flood of knock-on errors.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app as cli_app
from connectors.csv_schema import TABLES
from connectors.import_files import MAX_FIELD_CHARS
from connectors.importer import ImportFailed, load_folder
from core.db import Database
from core.models import Stock
from tests.security.company_files import mini_copy, snapshot

REQUIRED = [spec for spec in TABLES if spec.required]
OPTIONAL = [spec for spec in TABLES if not spec.required]


def header_only(folder: Path, file: str) -> None:
    """Keep the header of `file` and drop every data row."""
    path = folder / file
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def refused(db: Database, folder: Path, **options: object) -> list[str]:
    """The problems of an import that must fail."""
    with pytest.raises(ImportFailed) as failure:
        load_folder(db, folder, **options)  # type: ignore[arg-type]
    return [str(problem) for problem in failure.value.problems]


@pytest.fixture
def loaded(any_db: Database, tmp_path: Path) -> Database:
    """A database holding the mini company."""
    load_folder(any_db, mini_copy(tmp_path, "first"))
    return any_db


# --- a required file with a header and no rows ---------------------------------------------------------------


def test_header_only_stock_is_refused_and_the_stock_stays(loaded: Database, tmp_path: Path) -> None:
    before, version = snapshot(loaded), loaded.data_version()
    folder = mini_copy(tmp_path)
    header_only(folder, "stock.csv")
    assert refused(loaded, folder) == [
        "stock.csv: no data rows — importing it would delete all stock; use `--allow-empty stock` if that is intended"]
    assert snapshot(loaded) == before and loaded.data_version() == version
    with loaded.session() as session:
        assert session.get(Stock, ("WB-BL-500", "CSW")).available == 12  # type: ignore[union-attr]


def test_allow_empty_stock_empties_it_on_purpose(loaded: Database, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    header_only(folder, "stock.csv")
    report = load_folder(loaded, folder, allow_empty=["stock"])
    assert report.row_counts["stock.csv"] == 0
    assert snapshot(loaded)["stock"] == []


@pytest.mark.parametrize("spec", REQUIRED, ids=[spec.file for spec in REQUIRED])
def test_every_required_table_is_refused_when_header_only(sqlite_db: Database, tmp_path: Path, spec) -> None:  # type: ignore[no-untyped-def]
    folder = mini_copy(tmp_path)
    header_only(folder, spec.file)
    problems = refused(sqlite_db, folder)
    what = spec.table_name.replace("_", " ")
    assert problems[0] == (f"{spec.file}: no data rows — importing it would delete all {what}; "
                           f"use `--allow-empty {spec.table_name}` if that is intended")
    # the empty table is not checked against: no "unknown sku" for every row of stock.csv after products.csv
    assert not any("not defined in " + spec.file in problem for problem in problems)


def test_blank_lines_after_the_header_are_no_data_rows_either(sqlite_db: Database, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    header = (folder / "sales.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "sales.csv").write_text(header + "\r\n\r\n   \n", encoding="utf-8")
    assert refused(sqlite_db, folder)[0].startswith("sales.csv: no data rows — importing it would delete all sales")


@pytest.mark.parametrize("spec", OPTIONAL, ids=[spec.file for spec in OPTIONAL])
def test_optional_tables_may_be_header_only(sqlite_db: Database, tmp_path: Path, spec) -> None:  # type: ignore[no-untyped-def]
    folder = mini_copy(tmp_path)
    header_only(folder, spec.file)
    if spec.file == "staff.csv":  # customers name a salesperson
        header_only(folder, "customers.csv")
    if spec.file in ("staff.csv", "customers.csv"):  # an order names a customer
        orders = folder / "orders.csv"
        orders.write_text(orders.read_text(encoding="utf-8").replace(",C001,", ",,"), encoding="utf-8")
    assert load_folder(sqlite_db, folder).row_counts[spec.file] == 0


def test_an_unknown_allow_empty_name_is_a_problem(sqlite_db: Database, tmp_path: Path) -> None:
    problems = refused(sqlite_db, mini_copy(tmp_path), allow_empty=["stok"])
    assert problems[0].startswith("--allow-empty: no table called 'stok'; the tables are shipping_rates, areas")


def test_cli_load_refuses_then_allows_with_the_option(tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    env = {"SILOBRIDGE_HOME": str(tmp_path / "home"), "SILOBRIDGE_DB": f"sqlite:///{tmp_path / 'cli.db'}"}
    runner = CliRunner()
    assert runner.invoke(cli_app, ["load", str(folder)], env=env).exit_code == 0
    header_only(folder, "stock.csv")
    refused_run = runner.invoke(cli_app, ["load", str(folder)], env=env)
    assert refused_run.exit_code == 1
    assert "use `--allow-empty stock` if that is intended" in refused_run.output
    assert "Traceback" not in refused_run.output
    allowed = runner.invoke(cli_app, ["load", str(folder), "--allow-empty", "stock", "--allow-empty", "sales"],
                            env=env)
    assert allowed.exit_code == 0, allowed.output
    assert "stock.csv" in allowed.output


# --- oversized fields ------------------------------------------------------------------------------------------


def test_a_200000_character_field_is_a_clear_error(loaded: Database, tmp_path: Path) -> None:
    before = snapshot(loaded)
    folder = mini_copy(tmp_path)
    path = folder / "products.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Water bottle red 500ml", "x" * 200_000),
                    encoding="utf-8")
    problems = refused(loaded, folder)
    assert problems == ["products.csv, line 3, column name_en: value is 200,000 characters long; "
                        "this column takes at most 256"]
    assert snapshot(loaded) == before


def test_a_field_over_the_csv_limit_names_line_and_column(sqlite_db: Database, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    path = folder / "areas.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("官塘;KT", '"' + "官" * (MAX_FIELD_CHARS + 10) + '"'),
                    encoding="utf-8")
    problems = refused(sqlite_db, folder)
    assert problems[0].startswith("areas.csv, line 2, column aliases: a field is longer than 1,048,576 characters")
    assert len(problems) == 1  # areas.csv unreadable: nothing is checked against it
    assert all(len(problem) < 300 for problem in problems)


def test_an_unclosed_quote_swallowing_the_file_is_one_problem(sqlite_db: Database, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    path = folder / "sales.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2026-11-23,WB-RD-500", '"2026-11-23,WB-RD-500')
                    + "\n".join(f"2026-11-2{i % 9},WB-BL-500,KT,1,89,online" for i in range(3000)), encoding="utf-8")
    problems = refused(sqlite_db, folder)
    assert len(problems) == 1, problems
    assert problems[0].startswith("sales.csv, line 3, column date: a quoted value runs from line 3 to line 3004 (")
    assert problems[0].endswith("is a closing quote missing?")


def test_huge_numbers_and_long_names_are_errors_on_both_databases(loaded: Database, tmp_path: Path) -> None:
    """What PostgreSQL would refuse at write time (int32, NUMERIC(14,2), VARCHAR(n)) is refused when checked."""
    before = snapshot(loaded)
    folder = mini_copy(tmp_path)
    stock = folder / "stock.csv"
    stock.write_text(stock.read_text(encoding="utf-8").replace("CSW,20,8", "CSW,99999999999,8"), encoding="utf-8")
    products = folder / "products.csv"
    products.write_text(products.read_text(encoding="utf-8").replace(",129,40,", ",1e15,nan,"), encoding="utf-8")
    areas = folder / "areas.csv"
    areas.write_text(areas.read_text(encoding="utf-8").replace("YL,Yuen Long,", "YL," + "Y" * 129 + ","),
                     encoding="utf-8")
    problems = refused(loaded, folder)
    assert "areas.csv, line 5, column name_en: value is 129 characters long; this column takes at most 128" in problems
    assert any(p.startswith("products.csv, line 4, column unit_price: number too large") for p in problems)
    assert "products.csv, line 4, column unit_cost: expected a number, got 'nan'" in problems
    assert any(p.startswith("stock.csv, line 2, column on_hand: number too large") for p in problems)
    assert len(problems) == 4, problems  # no knock-on "unknown area YL" / "unknown sku PC-IP15-BK"
    assert snapshot(loaded) == before


# --- links and files outside the folder ------------------------------------------------------------------------


def test_a_symlink_out_of_the_folder_is_refused_and_never_echoed(loaded: Database, tmp_path: Path) -> None:
    before = snapshot(loaded)
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:TOP-SECRET-CONTENT:/root:/bin/bash\n", encoding="utf-8")
    folder = mini_copy(tmp_path)
    (folder / "staff.csv").unlink()
    (folder / "staff.csv").symlink_to(secret)
    problems = refused(loaded, folder)
    assert problems[0] == ("staff.csv: is a symbolic link; links are not followed: copy the file itself into "
                           "the folder")
    assert not any("TOP-SECRET" in problem or "root" in problem for problem in problems)
    assert not any("staff.csv" in problem and problem != problems[0] for problem in problems)
    assert snapshot(loaded) == before


def test_links_inside_the_folder_and_broken_links_are_refused_too(sqlite_db: Database, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    os.replace(folder / "stock.csv", folder / "stock-copy.csv")
    (folder / "stock.csv").symlink_to(folder / "stock-copy.csv")
    (folder / "promotions.csv").unlink()
    (folder / "promotions.csv").symlink_to(tmp_path / "nowhere.csv")
    problems = refused(sqlite_db, folder)
    assert "stock.csv: is a symbolic link; links are not followed: copy the file itself into the folder" in problems
    assert ("promotions.csv: is a symbolic link; links are not followed: copy the file itself into the folder"
            in problems)


def test_a_linked_folder_is_fine_but_a_named_pipe_is_refused_without_waiting(sqlite_db: Database,
                                                                            tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    linked = tmp_path / "linked-folder"
    linked.symlink_to(folder, target_is_directory=True)
    assert load_folder(sqlite_db, linked).row_counts["stock.csv"] == 5
    (folder / "suppliers.csv").unlink()
    os.mkfifo(folder / "suppliers.csv")
    assert refused(sqlite_db, folder) == ["suppliers.csv: is not a regular file"]


# --- files that are not UTF-8 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["big5", "utf-16", "latin-1"])
def test_a_file_that_is_not_utf8_is_exactly_one_problem(loaded: Database, tmp_path: Path, encoding: str) -> None:
    before = snapshot(loaded)
    folder = mini_copy(tmp_path)
    path = folder / "products.csv"
    content = path.read_text(encoding="utf-8").replace("drinkware", "drinkwäre")
    path.write_bytes(content.encode(encoding, errors="replace"))
    problems = refused(loaded, folder)
    assert len(problems) == 1, problems  # no "unknown sku" from stock, sales, orders, suppliers, promotions
    assert problems[0].startswith("products.csv, line ")
    assert "byte offset" in problems[0] and problems[0].endswith("save it as UTF-8")
    assert snapshot(loaded) == before


def test_the_line_and_byte_offset_of_the_first_bad_byte(sqlite_db: Database, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    path = folder / "products.csv"
    raw = path.read_bytes()
    offset = raw.index(b"Water bottle red")
    path.write_bytes(raw[:offset] + b"\xe9" + raw[offset + 1:])
    assert refused(sqlite_db, folder) == [f"products.csv, line 3: not UTF-8: byte 0xe9 at byte offset {offset} "
                                          "cannot be decoded; save it as UTF-8"]


def test_utf16_without_bom_is_caught_by_its_nul_bytes(sqlite_db: Database, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    path = folder / "sales.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    problems = refused(sqlite_db, folder)
    assert problems == ["sales.csv, line 1: contains a NUL byte at byte offset 1 (a UTF-16 or binary file?); "
                        "save it as UTF-8"]


def test_a_utf8_bom_is_accepted(sqlite_db: Database, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    path = folder / "areas.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_folder(sqlite_db, folder).row_counts["areas.csv"] == 5


# --- one bad row is one problem ---------------------------------------------------------------------------------


def test_a_refused_row_causes_no_knock_on_errors(sqlite_db: Database, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    path = folder / "products.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",129,40,", ",cheap,40,"), encoding="utf-8")
    assert refused(sqlite_db, folder) == [
        "products.csv, line 4, column unit_price: expected a number, got 'cheap'"]  # stock still names PC-IP15-BK


def test_a_missing_column_causes_no_knock_on_errors(sqlite_db: Database, tmp_path: Path) -> None:
    folder = mini_copy(tmp_path)
    path = folder / "locations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("code,name_en", "cod,name_en"), encoding="utf-8")
    assert refused(sqlite_db, folder) == ["locations.csv, line 1, column code: required column is missing"]
