"""tests/python/test_threads.py: the binding in threads: parallel alignments give the sequential
results, the GIL is released while the library aligns, and one TM handle serves several threads."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import ieum
from conftest import KO_LINES


def test_parallel_alignments_equal_sequential(ko, en):
    texts = [(ko, en), (ko.replace('2천', '3천'), en.replace('2,000', '3,000')), (ko * 3, en * 3)] * 3
    expected = [ieum.align(k, e, threads=1, force=True) for k, e in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda p: ieum.align(p[0], p[1], threads=1, force=True), texts))
    assert got == expected


def test_gil_is_released_during_alignment(ko, en):
    long_ko, long_en = ko * 600, en * 600  # 6,000 sentences a side
    done = threading.Event()
    result = {}

    def work():
        t0 = time.perf_counter()
        result['beads'] = ieum.align(long_ko, long_en, threads=1, force=True)
        result['seconds'] = time.perf_counter() - t0
        done.set()

    worker = threading.Thread(target=work)
    ticks = []
    worker.start()
    while not done.is_set():
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    worker.join()
    assert len(result['beads']) >= 6000
    # with the GIL held by the alignment this thread could not run for its whole duration
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert result['seconds'] > 0.05 and len(ticks) > 10
    assert max(gaps) < result['seconds'] / 2, (max(gaps), result['seconds'])


def test_one_tm_shared_by_threads(tmp_path, ko, en):
    with ieum.TM(str(tmp_path / 'shared.db')) as tm:
        tm.add_many(ieum.align(ko, en))

        def lookups(k):
            return [m.unit.src for m in tm.search(KO_LINES[k % len(KO_LINES)])][:1]

        with ThreadPoolExecutor(max_workers=4) as pool:
            found = list(pool.map(lookups, range(40)))
        assert found == [[KO_LINES[k % len(KO_LINES)]] for k in range(40)]
