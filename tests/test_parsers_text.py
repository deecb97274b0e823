import pytest

from parsers.text import read_text
from pipeline.errors import UnreadableDocument


def test_utf8_and_gb18030_read_the_same(tmp_path):
    text = "某某街道办事处2020年政府信息公开工作年度报告\n\n一、总体情况\n正文。\n"
    (tmp_path / "u.txt").write_text(text, encoding="utf-8")
    (tmp_path / "g.txt").write_bytes(text.encode("gb18030"))
    a, b = read_text(tmp_path / "u.txt"), read_text(tmp_path / "g.txt")
    assert [x.text for x in a.blocks] == [x.text for x in b.blocks] == [
        "某某街道办事处2020年政府信息公开工作年度报告", "一、总体情况", "正文。"]


def test_form_feeds_start_pages(tmp_path):
    (tmp_path / "p.txt").write_text("第一页\n\f第二页\n", encoding="utf-8")
    doc = read_text(tmp_path / "p.txt")
    assert [(b.text, b.page) for b in doc.blocks] == [("第一页", 1), ("第二页", 2)]
    assert doc.pages == 2


@pytest.mark.parametrize(("content", "reason"), [(b"", "empty"), (b"  \n\n", "empty"), (b"\x00\x01binary", "binary")])
def test_bad_text_files_are_refused_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument, match=reason):
        read_text(path)
