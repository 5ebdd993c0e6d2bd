"""End-to-end OCR scores against hand-computed cases."""
import numpy as np
import pytest

from clip4str.evaluation.ocr_metrics import (Counts, match_words, normalise_page, one_minus_ned,
                                             reading_order_lines, sorted_tokens, token_counts)


def box(x0, y0, x1, y1):
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], float)


def test_token_counts_bag_of_words_case_insensitive():
    c = token_counts('TOTAL 12.00 total Cash', 'Total 12.00 CASH change')
    # matched: total (once: truth has one), 12.00, cash -> 3 of 4 predicted, 3 of 4 true
    assert (c.matched, c.predicted, c.truth) == (3, 4, 4)
    assert c.f1 == pytest.approx(0.75)


def test_counts_accumulate_micro_average():
    total = Counts()
    total += Counts(1, 2, 4)
    total += Counts(3, 3, 4)
    assert total.precision == pytest.approx(4 / 5) and total.recall == pytest.approx(4 / 8)


def test_sorted_tokens_take_the_order_out_of_page_1_ned():
    truth, pred = 'RM 300.00\nCash', 'Cash  RM 300.00'
    assert one_minus_ned(normalise_page(pred), normalise_page(truth)) < 0.7
    assert sorted_tokens(pred) == sorted_tokens(truth) == '300.00 cash rm'
    assert one_minus_ned(sorted_tokens('Cash RM 300.0O'), sorted_tokens(truth)) < 1.0


def test_one_minus_ned():
    assert one_minus_ned('abc', 'abd') == pytest.approx(1 - 1 / 3)
    assert one_minus_ned('', '') == 1.0
    assert one_minus_ned('ab', 'abcd') == pytest.approx(0.5)
    assert normalise_page(' A  b\n\nC ') == 'a b c'


def test_reading_order_sorts_lines_top_to_bottom_then_left_to_right():
    polys = [box(0, 50, 10, 60), box(50, 0, 60, 10), box(0, 0, 10, 10)]
    assert reading_order_lines(polys, ['c', 'b', 'a']) == 'a\nb\nc'


def test_match_words_detection_end_to_end_and_dont_care():
    truth = [box(0, 0, 100, 20), box(200, 0, 300, 20), box(400, 0, 500, 20)]
    true_texts = ['Hello', 'world', '###']
    preds = [box(2, 0, 100, 20),       # IoU 0.98 with Hello, text right (case ignored)
             box(200, 0, 240, 20),     # IoU 0.4 with world: no match
             box(400, 0, 500, 20),     # matches the don't-care region: counts nowhere
             box(600, 0, 700, 20)]     # false positive
    det, e2e = match_words(preds, ['HELLO!', 'world', 'x', 'y'], truth, true_texts)
    assert (det.matched, det.predicted, det.truth) == (1, 3, 2)
    assert (e2e.matched, e2e.predicted, e2e.truth) == (1, 3, 2)
    det, e2e = match_words(preds, ['Help', 'world', 'x', 'y'], truth, true_texts)
    assert det.matched == 1 and e2e.matched == 0


def test_ic15_transcriptions_of_the_det_toy_set(shared_data):
    import json

    from clip4str.cli.eval_ocr import ic15_transcriptions
    data = json.loads((shared_data / 'mmocr_toy/det_toy_dataset/textdet_test.json').read_text())
    texts = ic15_transcriptions(data, shared_data / 'IC15_train/TrainingSet/gt.txt')
    care = {k: [t for t in v if t != '###'] for k, v in texts.items()}
    assert sum(map(len, care.values())) == 21
    # checked by eye against the images
    assert care['img_1.jpg'] == ['Genaxis Theatre', '[06]', '62-03', 'Carpark']
    assert care['img_8.jpg'] == ['WHY', 'PAY', 'FOR', 'NOTHING?']
    assert care['img_10.jpg'][:2] == ['HarbourFront', 'CC22']


def test_detection_scores_use_the_instances_own_words(tmp_path):
    """Our converters' textdet JSON carries each word's text: end-to-end F1 needs no other file,
    and two images of one name in different folders (IC03) keep their own words."""
    import json

    from clip4str.cli.eval_ocr import eval_detection, instance_texts
    poly = [0, 0, 100, 0, 100, 20, 0, 20]
    data = dict(metainfo={}, data_list=[
        dict(img_path='a/IMG_1.JPG', instances=[dict(polygon=poly, text='Exit', ignore=False)]),
        dict(img_path='b/IMG_1.JPG', instances=[dict(polygon=poly, text='Shop', ignore=False),
                                                dict(polygon=[200, 0, 300, 0, 300, 20, 200, 20],
                                                     ignore=True)])])
    assert instance_texts(data) == {'a/IMG_1.JPG': ['Exit'], 'b/IMG_1.JPG': ['Shop', '']}
    ann = tmp_path / 'textdet_val.json'
    ann.write_text(json.dumps(data))

    def engine(image):
        box = np.array(poly, float).reshape(-1, 2)
        return [box], ['exit' if image.parent.name == 'a' else 'Shoe'], None

    scores = eval_detection(engine, ann, None)
    assert scores['det_f1'] == 1.0
    assert scores['e2e_recall'] == 0.5          # "Shoe" is not "Shop"
    assert scores['pages'] == 2 and scores['seconds_per_page'] >= 0
    data['data_list'][0]['instances'][0].pop('text')
    assert instance_texts(data) is None         # a readable word without text: no e2e


def test_dropped_decimals_counts_only_tokens_read_without_their_point():
    from clip4str.evaluation.ocr_metrics import dropped_decimals
    truth = 'TOTAL RM0.00 5.50 12.30 CASH'
    # "rm000" lost its point, "1230" too; "5.50" is right; "cash" is not a number
    assert dropped_decimals('Total RM000 5.50 1230 CASH', truth) == 2
    assert dropped_decimals('Total RM0.00 5.50 12.30 cash', truth) == 0
    # a wrong digit is a misreading, not a dropped point
    assert dropped_decimals('Total RM001', truth) == 0


def test_scan_page_reads_the_receipt_a_third_as_wide_as_a_600_dpi_a4_page(tmp_path):
    import cv2
    from clip4str.cli.eval_ocr import SCAN_PAGE, OnScanPage
    receipt = np.full((300, 100, 3), 255, np.uint8)
    receipt[50:60, 10:90] = 0  # one dark line of "text"
    cv2.imwrite(str(tmp_path / '001.jpg'), receipt)
    seen = []

    def engine(path):
        page = cv2.imread(str(path))
        seen.append(path)
        ys, xs = np.nonzero(page[:, :, 0] < 128)
        return page.shape, (xs.min(), xs.max()), 'text'
    shape, (x0, x1), text = OnScanPage(engine, tmp_path)(tmp_path / '001.jpg')
    assert shape == (SCAN_PAGE[1], SCAN_PAGE[0], 3) and text == 'text'
    # the line spans 80 % of the receipt, the receipt a third of the page's width
    assert abs((x1 - x0) - 0.8 * SCAN_PAGE[0] / 3) < 0.02 * SCAN_PAGE[0] / 3
    assert not seen[0].exists()  # the scan is not left behind


def test_sroie_truth_keeps_the_annotators_line_order(tmp_path):
    """The csv's order is the truth's, not the boxes' top edges: a row's price box sitting a
    pixel above its item stays after it."""
    from clip4str.cli.eval_ocr import read_sroie
    (tmp_path / 'training_data' / 'bbox').mkdir(parents=True)
    rows = ['10,50,90,50,90,70,10,70,SHOP NAME',
            '10,101,90,101,90,121,10,121,ITEM, A',  # a comma inside the text
            '200,100,260,100,260,120,200,120,41.95']
    (tmp_path / 'training_data' / 'bbox' / '007.csv').write_text('\n'.join(rows),
                                                               encoding='utf-8')
    (image, truth), = read_sroie(tmp_path, None)
    assert image.name == '007.jpg'
    assert truth == 'SHOP NAME\nITEM, A\n41.95'
