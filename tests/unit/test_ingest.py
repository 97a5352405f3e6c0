import io
import json

from wirewatch.ingest.files import headline_from_text, read_path, read_paths


def test_txt_file_is_one_article(tmp_path):
    p = tmp_path / "story-1.txt"
    p.write_text("\nFirst line here.\nSecond line.\n")
    [rec] = list(read_path(str(p)))
    assert rec.error is None
    assert rec.article["id"] == "story-1"
    assert rec.article["body"] == "\nFirst line here.\nSecond line.\n"
    assert rec.article["headline"] == "First line here."


def test_jsonl_reports_bad_lines_with_their_number(tmp_path):
    p = tmp_path / "wire.jsonl"
    p.write_text('{"id": "a", "body": "x"}\n\n{"id": "b"\n{"id": "c", "body": ""}\n')
    recs = list(read_path(str(p)))
    assert [r.article["id"] for r in recs if r.article] == ["a"]
    bad = [(r.where, r.error.kind) for r in recs if r.error]
    assert bad == [(f"{p}:3", "invalid_json"), (f"{p}:4", "empty_body")]


def test_json_list_and_directory(tmp_path):
    (tmp_path / "a.json").write_text(
        json.dumps([{"id": "x", "body": "one"}, {"id": "y", "body": "two"}])
    )
    (tmp_path / "b.txt").write_text("three")
    (tmp_path / "ignored.bin").write_bytes(b"\0")
    ids = [r.article["id"] for r in read_paths([str(tmp_path)])]
    assert ids == ["x", "y", "b"]


def test_missing_file_is_an_error_not_a_crash(tmp_path):
    [rec] = list(read_path(str(tmp_path / "nope.txt")))
    assert rec.error.kind == "missing_file"


def test_stdin_jsonl_and_text(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": "s", "body": "b"}\n'))
    assert [r.article["id"] for r in read_path("-")] == ["s"]
    monkeypatch.setattr("sys.stdin", io.StringIO("Plain text news."))
    [rec] = list(read_path("-"))
    assert rec.article["id"].startswith("stdin-")
    assert rec.article["body"] == "Plain text news."


def test_long_first_line_headline_is_cut_at_a_word():
    h = headline_from_text("word " * 100, limit=20)
    assert h.endswith("…") and len(h) <= 21 and "wor…" not in h
