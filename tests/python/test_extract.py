"""tests/python/test_extract.py: ieum.extract(): the article of a page, its metadata, its errors."""
import pytest

import ieum
from conftest import EN_LINES, KO_LINES, page


def test_extract_article_and_metadata(en_html):
    art = ieum.extract(en_html)
    assert isinstance(art, ieum.Article)
    assert art.text.split('\n\n') == EN_LINES[1:]
    assert art.headline == EN_LINES[0] and art.url == 'https://news.example/en/robot-library'
    assert art.lang == 'en' and art.byline == 'Kim Ha-neul' and art.meta['headline'] == art.headline
    assert 'Politics' not in art.text and 'Most read' not in art.text and 'Copyright' not in art.text


def test_extract_bytes_in_the_pages_charset():
    html = page(KO_LINES, 'ko', charset='euc-kr').encode('euc-kr')
    art = ieum.extract(html)
    assert art.text.split('\n\n') == KO_LINES[1:] and art.headline == KO_LINES[0]


def test_extract_page_without_article():
    with pytest.raises(ieum.Error) as e:
        ieum.extract('<html><body><nav><a href="/">Home</a></nav></body></html>', name='empty.html')
    assert e.value.code == ieum.EINVAL and str(e.value).startswith('empty.html')


def test_extract_wrong_encoding():
    with pytest.raises(ieum.Error) as e:
        ieum.extract(b'<html><body><p>\xff\xfe caf\xe9 \x81</p></body></html>', encoding='UTF-8')
    assert e.value.code == ieum.EENCODING
    with pytest.raises(TypeError):
        ieum.extract(None)
