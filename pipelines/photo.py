# End-to-end preset for photos: signs, labels, scene text (clip4str-ocr --preset photo).
# Same models as the document preset; photos have fewer, larger, more distorted words, so
# vertical regions are also read as stacked letters, steep regions also upside down, and
# detection adds a half-scale pass for big words.
_base_ = ['./document.py']

# min_score 0.6: the shipped detector, trained mostly on pages, fires on scene texture at 0.3
# (det toy word F1 4.5 at 0.3, 27.6 at 0.6, 24.0 at 0.7: tools/eval_ocr.py --det-json ...)
# input 2048: incidental scenes hold words of 10-20 px that the detector finds better enlarged
# (1280x720 photos go in at 1.6x). Against 1600 (tools/eval_ocr.py, photo preset): det toy
# det / e2e F1 38.9 / 27.8 -> 53.7 / 34.1 (2560: 46.5 / 37.2); SVT train images, never in the
# detector's training (only lexicon words boxed, so precision is low), det / e2e recall 43.1 /
# 32.1 -> 45.5 / 33.5; IC03-val 90.1 / 74.6 either way; SROIE-val token F1 82.7 -> 82.6
det = dict(input_size=(2048, 2048), max_side=4096, min_score=0.6)
# rec.min_score 0.65: a scene's texture read as junk is dropped (IC03-val, the larger scene set,
# e2e F1 peaks there: det / e2e 90.1 / 74.6 at 0 -> 90.8 / 75.2 at 0.5, 90.6 / 76.3 at 0.65,
# 89.9 / 75.4 at 0.75, 89.1 / 75.9 at 0.85; det toy 65.1 / 55.8 -> 73.7 / 63.2 at 0.65)
rec = dict(batch_size=32, min_score=0.65)
rectify = dict(pad=0.1, vertical_aspect=1.5, stacked=True, upside_down=True)
# margin_vote (from the document preset) reads doubtful words again with 0 and 0.32 heights of
# paper: IC03-val e2e F1 71.8 -> 74.6, det toy 39.0 -> 43.9, SVT train images' e2e recall 34.4
# either way, SROIE-val (photo preset) 86.2 -> 87.1
# big words on signs: also detect at half the scale, and keep the big regions it finds
scale = dict(coarse=0.5)
windows = dict(max_aspect=8.0, overlap=1.0)
layout = dict(word_gap=1.2, line_gap=0.7)
# A receipt photographed has hundreds of regions, and its merged words need the cut as on scans
# (SROIE-val token F1 68.9 -> 70.0). A scene's few signs say nothing about the page's spacing:
# on pages with < 30 regions (IC15/IC03 scenes have <= 20 words) only pieces >= 1.5 text heights
# are cut off, so "Fresh Bread" is cut but "A134" and "TA11" are not. With the stage-3 detector,
# cutting scenes freely cost IC03-val e2e F1 73.2 -> 69.0 and det toy 27.0 -> 26.3; with 1.5
# both stay at 73.2 / 27.0 and the sample photo reads "Fresh Bread", "OPEN 7:30-18:00"
word_split = dict(enabled=True, min_regions=30, sparse_min_piece=1.5)
# Spaces found again once a word is read (space_split) on every page, not only 30+ regions: its
# cuts stand only where the pieces read as the whole word did, so scenes need no guard. A sign's
# crop has less contrast than print ("WHY PAY FOR", grey on blue: 28 grey levels), hence from 20
# (the cut's own test stays). det toy det / e2e F1 53.7 / 43.9 -> 65.1 / 55.8 ("WHYPAYFOR" read
# as three words), SVT train images' e2e recall 34.4 -> 34.9; IC03-val (90.1 / 74.6) and
# SROIE-val (photo preset 87.5; document preset with min_contrast 20 too) unchanged
space_split = dict(min_regions=0, min_contrast=20.0)
load = dict(dpi=150)
outputs = ['json', 'txt', 'vis']
