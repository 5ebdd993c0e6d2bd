# End-to-end preset for documents: scans, PDFs, receipts, forms (clip4str-ocr --preset document).
# Paths are relative to this file. Keys: see plugins/clip4str/ocr/preset.py.

det = dict(
    config='{{ fileDirname }}/../configs/textdet/dbnet/dbnet_resnet18_fpnc_synthdoc.py',
    weights='{{ fileDirname }}/../weights/dbnet_resnet18_synthdoc.pth',
    # used only while the shipped config above is not installed (random weights then)
    fallback_config='mmocr::textdet/dbnet/dbnet_resnet18_fpnc_1200e_icdar2015.py',
    input_size=(1600, 1600),  # test-time resize: pages at 200 dpi keep ~8 px per text line
    max_side=4096,            # larger pages are shrunk for detection, read at full size
    batch_size=1,             # pages per detector batch
    # best threshold on the 5 held-out SROIE receipts (word hmean 0.83 at 0.3, 0.90 at 0.6)
    min_score=0.6,
    # onnx backend: the detector's int8 graph (built once from the fp32 export, cached beside
    # it), about twice the fp32 graph's speed at the same token F1 (docs/onnx.md); None: fp32
    quantize='int8',
)
rec = dict(
    config='{{ fileDirname }}/../configs/textrecog/clip4str/clip4str_small_conv-ctc.py',
    weights='{{ fileDirname }}/../weights/clip4str_small.pth',
    fallback_config='mmocr::textrecog/crnn/crnn_mini-vgg_5e_mj.py',
    batch_size=64,            # crops per recognizer batch (sorted by width)
    # words whose characters average under this probability are left out (stamps, logos,
    # handwriting read as junk: of the 47 such words on the 61 SROIE val receipts, 41 were no
    # word of the truth). Token F1 88.5 -> 88.7 (P 89.4), page 1-NED 88.8 -> 89.1, its best
    # (0.6: 88.9, 0.8: 89.1, 0.9: 88.3 at F1 89.1); 0: every word kept
    min_score=0.75,
)
# 'onnx': both models on onnxruntime, exported on first use and cached next to the weights (PyTorch
# with a warning where that is impossible); same words as 'torch', 2.3x the pages/s with 1 thread
# and 3.7x with 2 on this machine (tools/benchmark.py --end-to-end --backends torch onnx)
backend = 'onnx'
# pad: paper kept round each crop, in text heights (61 SROIE val receipts, token F1 with the
# recognizer shipped 2026-12-01: 86.6 at 0.08, 86.9 at 0.12, 87.0 at 0.16, 86.8 at 0.2)
rectify = dict(pad=0.16, max_height=96, vertical_aspect=1.5, stacked=False, upside_down=False)
# pages turned 90/180/270 degrees are found from a sample of words and read upright
orientation = dict(enabled=True, sample=12)
# detection scale follows the text: small images are enlarged at most 2x, pages whose text came
# out small (a narrow receipt on a big scan) are detected again on their text, larger: at 26 px
# (the 61 val receipts read as 600-dpi A4 scans, tools/eval_ocr.py --scan-page: token F1 75.8 at
# 22 px, 77.5 at 26, against 79.6 as they are; big text keeps 22, IC03-val lost 2 points at 26)
scale = dict(enabled=True, max_upscale=2.0, text_height=22.0, redetect_below=12.0,
             small_text_height=26.0, redetect_above=48.0, max_long_side=4096, coarse=0.0)
# "12" "00" cut at the decimal point by the detector: read again as one region, taken when its
# point reads >= 0.9 sure (two numbers a space apart, "4567 89", read as one get a doubtful '.':
# 61 SROIE val receipts 83.9 -> 84.0, 3 wrong joins of 28 undone; invoice 4 -> 3 word errors)
join_split_numbers = True
# lone glyphs ("1", ":", "-" in a receipt's columns) scoring under det.min_score: regions from 0.4
# up, at most 2.2 heights long, kept when read as <= 3 characters each >= 0.8 probable, on pages
# with 30+ sure regions (61 SROIE val receipts, tools/eval_ocr.py: token F1 79.6 -> 81.5,
# precision unchanged; on scenes, IC03-val and det toy, they were mostly false)
small_glyphs = dict(enabled=True, min_score=0.4, max_aspect=2.2, min_prob=0.8, max_chars=3,
                    min_regions=30)
# "adjus" "tments": letters the detector cut apart with no space of ink between them are read
# again as one region (61 SROIE val receipts: token F1 81.7 -> 81.9, 18 tokens joined, 2 wrongly)
# and digits cut across a gap under 0.38 heights ("2024-031" "7": a tabular '1' stands in a wide
# gap; "123 4567" is 0.41 apart), joined only when read as the two run together exactly
# (invoice 3 -> 1 word errors; the 61 SROIE val receipts unchanged)
join_touching_words = True
# ... and two pieces a space apart whose letters make a word of 5+ letters of the bundled English
# list while they are not two words ("adjus tments", "Descr iption", "nec essary": a printer's
# wide gap inside a word), joined when read whole as that word (61 SROIE val receipts: token F1
# 88.0 -> 88.3, P 88.8 / R 87.8; 15 joins, all right)
join_lexicon = 'english'
windows = dict(max_aspect=8.0, overlap=1.0)
layout = dict(word_gap=1.5, line_gap=0.9)
# cut a detected box at blank runs wider than 0.3 text heights and 2x the page's 90th percentile
# gap, so merged words are read one by one and keep their space (the recognizer has no space).
# A proportional font's space is ~0.3 of a line's ascender-to-descender height: at 0.35 the
# invoice's "Page 2 of 2" stayed one word; 0.3 cuts it (invoice 13 -> 9 word errors) and leaves
# the 61 SROIE val receipts and the photo sets as they were (tools/eval_ocr.py)
# An end piece lying 80%+ inside another region is the tail of that region's word, dropped
# ("INVOICE No.": the E's tail cut off "No."'s box read "-"; SROIE-val loses a stray "C" and "/")
word_split = dict(enabled=True, min_gap=0.3, page_factor=2.0, covered=0.8)
# ... and a space that page-wide rule missed ("GSTSUMMARY": a monospace page's threshold is set by
# the wide gaps around '.', '1', ':'), found in each read word of a page with 30+ words: a gap
# 0.3+ heights wide, 2.5x the word's median gap, glyphs either side 1.2+ pitches apart, kept
# where the pieces read as the word did (61 SROIE val receipts: token F1 81.9 -> 82.6, P 84.0 ->
# 84.5, R 79.8 -> 80.8; without the pitch test 82.0, P 83.1: 'SE LANGOR', 'requi red')
# A word read "X:" whose colon stands >= 0.4 heights after the letter before it is written
# "X :", as print (and the annotations) set it: "TEL : 03-4021" (61 SROIE val receipts: token F1
# 84.0 -> 84.4; 0.5: 84.3)
# A tight printer's space ("KEEPTHIS": 0.38 heights against letter gaps of 0.25) is cut from
# 1.5x the median gap, and kept only between two pieces of 2+ characters ending and starting
# with a letter or digit, not two digits (85.2 -> 85.4, R 84.6; at 1.5 without that test 85.3:
# "I NVOICE", "F ILE"; at 1.3 "SEDIME NI")
# Spaces as tight as letter gaps ("DATEFOR", "PAYMENTMODE", "usin") are cut at the word's
# widest gap (0.2+ heights, 1.5x the median, no pitch test) when its letters are no word of the
# bundled English list and the pieces read as two of its words (87.6 -> 88.0; 24 words cut, 5
# against the annotation: "PER IN", and "TAX INVOICE", "PLAIN RICE" it writes joined); so is a
# word run into the number after it ("of2": the A4 page's "Page 2 of 2"; SROIE-val unchanged)
space_split = dict(enabled=True, min_gap=0.3, ratio=2.5, min_pitches=1.2, min_regions=30,
                   colon_gap=0.4, loose_ratio=1.5, lexicon='english', lexicon_gap=0.2,
                   lexicon_ratio=1.5)
# a full stop or comma the box left out after a word ("Selangor.") taken into it before reading,
# on pages with 30+ regions; colons are left alone (61 SROIE val receipts: 82.6 -> 83.0, P 84.8 /
# R 81.2; with colons too 82.7: receipts print "TOTAL:", annotations often write "TOTAL :")
trailing_marks = dict(enabled=True, reach=0.5, max_height=0.55, min_regions=30)
# DBNet grows each box by ~1/3 text height, more than half a space: neighbours' boxes overlap and
# a crop holds a sliver of the next word ("must be" -> "tbe", "to the" -> "to:"). Overlapping
# neighbours on a line are cut apart at the blank between them (61 SROIE val receipts: token F1
# 83.0 -> 83.9, P 85.8 / R 82.2; IC03-val and det toy scenes unchanged; invoice 6 -> 4 errors)
neighbour_trim = dict(enabled=True)
# a lone ':' or '-' between two words of a line that no region covers ("Net Total  :  21.00",
# "WA27 - 20"): ink in blanks of 0.6+ text heights, in clusters at most a height wide, read
# upright and kept when <= 2 characters each >= 0.9 sure, on pages with 30+ regions (61 SROIE
# val receipts: token F1 84.4 -> 85.1, P 86.1 / R 84.2, 1-NED 83.8 -> 84.1; min_prob 0.8, min_gap
# 0.4 or crops widened to square within 0.1; IC03-val, det toy and the invoice unchanged). Ink
# there is taken from halfway between paper and the words' Otsu threshold: a faded receipt's
# colons are lighter than its words ("Rounding : 0.00"; 85.1 -> 85.2, R 84.3; 0.7 the same).
# Blobs are sought in the words' rows only, so a "1" under a dashed rule is found (R 84.4)
# With line_ends, also the blanks before a line's first word and after its last, out to the
# edges of the lines within 4 text heights, kept only as letters or digits ("1  VEGETABLES", a
# column of quantities; "Item Count  7"): 88.3 -> 88.5, R 87.8 -> 88.1 (24 of 28 found right;
# 2 heights 88.4, 8 the same as 4; with '-' and ':' too 88.4, P 88.4: rules' dashes)
gap_glyphs = dict(enabled=True, min_gap=0.6, min_prob=0.9, max_chars=2, min_regions=30,
                  faint=0.5, line_ends=4.0)
# words with a character under 0.95 probable are read again with 0 and 0.32 heights of paper
# round them, and the majority of the three readings kept (else the likeliest): a neighbour's
# sliver or a rule at the crop's edge misleads one crop ("Suomary", "THAAK"); ~16 words a
# receipt, 61 SROIE val receipts: 87.0 -> 87.6 (P 88.2 / R 87.1), same seconds per page
margin_vote = dict(enabled=True, below=0.95, pads=(0.0, 0.32))
load = dict(dpi=200, max_pixels=178956970)  # 2x PIL's default bomb limit: A3 scans at 600 dpi
outputs = ['json', 'txt', 'vis', 'pdf']
# with 2+ threads, the batch tool detects the next page (or the next input's first page) while
# this one is read: the detector scales poorly past one core, the recognizer's decoding loop
# too (10 benchmark pages, 2 threads: 1.10-1.16 -> 1.35-1.40 pages/s, same text). One thread:
# each in turn, as before
detect_ahead = True
