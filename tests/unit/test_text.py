"""streams.nlp.text: HTML to text, word counts, long runs (no model needed)."""

import pytest

from streams.nlp.text import html_to_text, looks_like_html, word_count

# --- HTML -----------------------------------------------------------------------------------------


def test_paragraphs_become_blank_line_breaks():
    assert html_to_text("<p>First one.</p>\n<p>Second\n one.</p><div>Third</div>") == \
        "First one.\n\nSecond\n one.\n\nThird"


def test_br_and_headings_break_paragraphs():
    assert html_to_text("<h1>Head</h1>Line one<br>Line two<br/>end") == "Head\n\nLine one\n\nLine two\n\nend"


def test_entities_are_unescaped_after_tags_are_removed():
    assert html_to_text("<p>Tom &amp; Jerry &lt;b&gt; &#8220;hi&#8221; caf&eacute;</p>") == \
        "Tom & Jerry <b> \u201chi\u201d caf\u00e9"


def test_script_and_style_are_dropped_with_their_content():
    html = ("<p>Before.</p><script type='text/javascript'>var s = '<p>not text</p>';</script>"
            "<STYLE>p { color: red }</STYLE><p>After.</p>")
    assert html_to_text(html) == "Before.\n\nAfter."


def test_an_embed_keeps_its_text_and_loses_its_attributes():
    body = 'Witnesses wrote about it.\n\n<tweet id="6721" author="@ann" datetime="2015-12-02">Smoke seen</tweet>.'
    assert html_to_text(body) == "Witnesses wrote about it.\n\nSmoke seen."


def test_inline_tags_vanish_and_spaces_collapse():
    assert html_to_text("<p>A  <b>bold</b>\t<a href='x'>link</a></p>") == "A bold link"


@pytest.mark.parametrize("text", ["<p>x</p>", "x<br>y", "<BR/>", "<a href=\"u\">l</a>", "<h2 class=t>x</h2>",
                                  "<script>x</script>", 'said so. <tweet id="6721" author="@ann">Text</tweet>.',
                                  "<embed-post data-id='9'/>"])
def test_looks_like_html(text):
    assert looks_like_html(text) is True


@pytest.mark.parametrize("text", ["a < b and c > d", "x<y and z>w", "if a < b then b > a", "<3 <3",
                                  "<paragraph>", "email <ann@example.org>", "plain text",
                                  'a <b = "x" and c', 'x <y z="1" w'])
def test_does_not_look_like_html(text):
    assert looks_like_html(text) is False


# --- words and long runs ---------------------------------------------------------------------------


def test_word_count_splits_on_white_space():
    assert word_count("  one two\tthree\n\nfour-five ") == 4


def test_blank_long_runs_keeps_length_and_short_words():
    from streams.nlp.text import LONG_RUN_CHARS, blank_long_runs

    text = "Short words stay. " + '"' * LONG_RUN_CHARS + " And after."
    blanked = blank_long_runs(text)
    assert len(blanked) == len(text)
    assert blanked == "Short words stay. " + " " * LONG_RUN_CHARS + " And after."
    assert blank_long_runs("x" * (LONG_RUN_CHARS - 1)) == "x" * (LONG_RUN_CHARS - 1)
