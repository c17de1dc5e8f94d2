"""tests/python/conftest.py: fixtures of the binding's tests: a Korean news article and its English
translation written for these tests (an invented event; our own text), HTML pages made of them, and
the source folder (IEUM_SOURCE_ROOT, set by tests/python/run.py).  Not here: the tests themselves
(test_*.py beside it)."""
import os

import pytest

KO_LINES = [
    '부산시, 도서관에 로봇 반납 서비스 도입',
    '부산시는 다음 달 3일부터 시립도서관 다섯 곳에서 로봇이 반납된 책을 정리하는 서비스를 시작한다고 20일 밝혔다.',
    '이 로봇은 하루에 책 2천 권을 분류할 수 있다.',
    '시는 이 사업에 예산 12억 원을 투입했다.',
    '도서관 직원들은 그동안 반납된 책을 손으로 정리해 왔다.',
    '박민수 부산시 문화국장은 "직원들이 이용자 상담에 더 많은 시간을 쓸 수 있게 될 것"이라고 말했다.',
    '시는 올해 말까지 결과를 평가한 뒤 다른 도서관 20곳으로 확대할 계획이다.',
    '지난해 부산 시립도서관 이용자는 340만 명이었다.',
    '로봇은 국내 기업 한빛로보틱스가 개발했다.',
    '서비스 이용 요금은 없다.',
]
EN_LINES = [
    'Busan brings robot book returns to its libraries',
    'Busan said on the 20th that robots will start sorting returned books at five city libraries from the 3rd of next month.',
    'The robot can sort 2,000 books a day.',
    'The city spent 1.2 billion won on the project.',
    'Library staff have so far sorted returned books by hand.',
    '"Staff will be able to spend more time helping visitors," said Park Min-su, head of the Busan city culture bureau.',
    'The city plans to review the results by the end of the year and then expand the service to 20 more libraries.',
    'Last year, Busan city libraries had 3.4 million visitors.',
    'The robot was developed by Hanbit Robotics, a Korean company.',
    'The service is free of charge.',
]
# headline, a blank line, then one paragraph per body sentence
KO = KO_LINES[0] + '\n\n' + '\n'.join(KO_LINES[1:]) + '\n'
EN = EN_LINES[0] + '\n\n' + '\n'.join(EN_LINES[1:]) + '\n'


def page(lines, lang, charset='utf-8'):
    """A news page holding the article `lines` (headline first) among menus, share links and a footer."""
    body = '\n'.join(f'<p>{line}</p>' for line in lines[1:])
    return f'''<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="{charset}"><title>{lines[0]} | Ieum News</title>
<meta property="og:title" content="{lines[0]}">
<meta property="og:url" content="https://news.example/{lang}/robot-library">
<meta name="author" content="Kim Ha-neul"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/economy">Economy</a></li><li><a href="/society">Society</a></li></ul></nav>
<article><h1>{lines[0]}</h1>
{body}
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Another story</a></li><li><a href="/b">Yet another story</a></li></ul></aside>
<footer>Copyright 2026 Ieum News. All rights reserved.</footer></body></html>
'''


@pytest.fixture
def ko():
    return KO


@pytest.fixture
def en():
    return EN


@pytest.fixture
def ko_html():
    return page(KO_LINES, 'ko')


@pytest.fixture
def en_html():
    return page(EN_LINES, 'en')


@pytest.fixture
def source_root():
    root = os.environ.get('IEUM_SOURCE_ROOT')
    if not root:
        pytest.skip('IEUM_SOURCE_ROOT is not set (tests/python/run.py sets it)')
    return root
