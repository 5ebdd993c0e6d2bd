"""tools/benchmark.py --end-to-end: the batch tool's figures next to the per-call ones."""
import cv2

from clip4str.cli.benchmark_pages import batch_tool, print_pages_table
from clip4str.ocr.engine import EngineConfig, OCREngine

from tests.ocr.ocr_fakes import BoxDetector, GreyRecognizer, render_words


def test_batch_tool_reads_every_page_and_scores_it(tmp_path):
    pages = []
    for k, n in enumerate((1, 3)):
        img, _ = render_words([(10 + 90 * i, 10, 70, 20) for i in range(n)], size=(60, 400))
        path = tmp_path / f'page{k}.png'
        cv2.imwrite(str(path), img)
        pages.append(dict(kind='a4', path=str(path),
                          truth=' '.join(f'w{i}' for i in range(n)) + (' missed' if k else '')))
    engine = OCREngine(BoxDetector(), GreyRecognizer(), EngineConfig(detect_ahead=True))
    got = batch_tool(engine, pages)
    assert got['batch_pages_per_s'] > 0 and got['detect_ahead'] is True
    # 4 words read, all right; 5 in the truth
    assert abs(got['batch_token_f1'] - 2 * 4 / (4 + 5)) < 1e-9


def test_table_gives_the_batch_tool_ratio(capsys):
    f1 = {'a4': 0.9, 'all': 0.9}
    rows = [dict(engine='ours', backend='onnx-int8', threads=2, pages_per_s=1.0,
                 batch_pages_per_s=1.5, batch_token_f1=0.9, token_f1=f1, peak_rss_mb=1000),
            dict(engine='rapidocr', backend=None, threads=2, pages_per_s=1.25, token_f1=f1,
                 peak_rss_mb=900)]
    print_pages_table(rows, [dict(kind='a4')])
    out = capsys.readouterr().out
    assert 'pages/s 0.80x per call, 1.20x batch tool, token F1 90.0 vs 90.0' in out
    assert 'WARNING' not in out
    rows[0]['batch_token_f1'] = 0.89
    print_pages_table(rows, [dict(kind='a4')])
    assert 'the batch tool read other text than the calls (token F1 89.00 vs 90.00)' in \
        capsys.readouterr().out
