"""`clip4str-ocr` end to end on the bundled samples, with MMOCR models at random weights.

Also checks that MMOCRInferencer(det=..., det_weights=..., rec=..., rec_weights=...) runs with the
plugin imported, on the same config + weight files the engine loads.
"""
import json
import os

import numpy as np
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = os.path.join(REPO, 'samples')

DET_CFG = """_base_ = ['mmocr::textdet/dbnet/dbnet_resnet18_fpnc_1200e_icdar2015.py']
model = dict(backbone=dict(init_cfg=None))
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=(320, 320), keep_ratio=True),
    dict(type='LoadOCRAnnotations', with_polygon=True, with_bbox=True, with_label=True),
    dict(type='PackTextDetInputs',
         meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))]
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
"""
REC_CFG = """_base_ = ['mmocr::textrecog/crnn/crnn_mini-vgg_5e_mj.py']
"""


@pytest.fixture(scope='module')
def models(tmp_path_factory):
    """Config files and randomly initialised checkpoints for a detector and a recognizer."""
    import torch
    from clip4str.ocr.models import TextDetector, TextRecognizer
    d = tmp_path_factory.mktemp('models')
    (d / 'det.py').write_text(DET_CFG)
    (d / 'rec.py').write_text(REC_CFG)
    torch.manual_seed(0)
    det = TextDetector(str(d / 'det.py'))
    torch.save({'state_dict': det.model.state_dict()}, d / 'det.pth')
    rec = TextRecognizer(str(d / 'rec.py'))
    torch.save(rec.model.state_dict(), d / 'rec.pth')
    preset = d / 'tiny.py'
    preset.write_text(f"""_base_ = ['{REPO}/pipelines/document.py']
det = dict(config='{d}/det.py', weights='{d}/det.pth', input_size=(320, 320),
           min_score=0.3)  # random detector: the shipped one's threshold finds nothing
rec = dict(config='{d}/rec.py', weights='{d}/rec.pth', batch_size=16)
load = dict(dpi=40)
""")
    return d


def run_cli(capsys, *argv):
    from clip4str.cli.ocr import main
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_on_samples_then_rerun_skips(tmp_path, models, capsys):
    out = tmp_path / 'out'
    code, stdout, stderr = run_cli(capsys, SAMPLES, '--out', out, '--preset', models / 'tiny.py')
    assert code == 0, stderr
    assert 'RANDOM' not in stderr  # weights were given
    assert f'==> {SAMPLES}/sample_document.pdf <==' in stdout
    assert 'inputs: 2 ok, 0 failed, 0 skipped | pages: 3' in stderr
    doc = out / 'sample_document_pdf'
    assert sorted(os.listdir(doc)) == ['page-0001.json', 'page-0002.json', 'result.json',
                                       'searchable.pdf', 'text.txt', 'vis']
    page = json.loads((doc / 'page-0002.json').read_text())
    assert page['page']['number'] == 2 and page['page']['dpi'] == 40
    assert len(page['det_polygons']) == len(page['rec_texts']) == len(page['rec_scores'])
    # the photo preset's outputs exclude nothing here: the tiny preset inherits document's
    assert os.path.isfile(out / 'sample_photo_jpg' / 'searchable.pdf')

    code, _, stderr = run_cli(capsys, SAMPLES, '--out', out, '--preset', models / 'tiny.py',
                              '--quiet')
    assert code == 0 and 'inputs: 0 ok, 0 failed, 2 skipped' in stderr

    code, stdout, stderr = run_cli(capsys, f'{SAMPLES}/*.pdf', '--out', out, '--preset',
                                   models / 'tiny.py', '--pages', '2', '--overwrite',
                                   '--outputs', 'json,txt')
    assert code == 0, stderr
    assert sorted(os.listdir(doc)) == ['page-0002.json', 'result.json', 'text.txt']


def test_cli_shipped_preset_without_weights_warns_and_runs(tmp_path, capsys):
    # as on a checkout whose weights/ lacks the recognizer file
    code, stdout, stderr = run_cli(
        capsys, f'{SAMPLES}/sample_photo.jpg', '--out', tmp_path, '--preset', 'photo',
        '--cfg-options', 'det.input_size=[320,320]', f'rec.weights={tmp_path}/missing.pth')
    assert code == 0, stderr
    assert 'RANDOM weights' in stderr and 'MEANINGLESS' in stderr
    assert os.path.isfile(tmp_path / 'sample_photo_jpg' / 'page-0001.json')
    assert not os.path.exists(tmp_path / 'sample_photo_jpg' / 'searchable.pdf')  # photo preset


def test_cli_exit_codes_and_model_errors(tmp_path, models, capsys):
    bad = tmp_path / 'bad.png'
    bad.write_text('not an image')
    code, _, stderr = run_cli(capsys, bad, SAMPLES + '/sample_photo.jpg', '--out',
                              tmp_path / 'o', '--preset', models / 'tiny.py')
    assert code == 1
    assert f'error: {bad}: not an image' in stderr and '1 ok, 1 failed' in stderr

    code, _, stderr = run_cli(capsys, bad, '--out', tmp_path, '--det', tmp_path / 'nope.py')
    assert code == 2 and 'detector config file not found' in stderr and 'nope.py' in stderr

    code, _, stderr = run_cli(capsys, bad, '--out', tmp_path, '--preset', models / 'tiny.py',
                              '--det-weights', models / 'rec.pth')
    assert code == 2 and 'rec.pth does not match' in stderr

    code, _, stderr = run_cli(capsys, bad, '--out', tmp_path, '--preset', models / 'tiny.py',
                              '--rec', models / 'det.py')
    assert code == 2 and 'not a text recognizer' in stderr

    code, _, stderr = run_cli(capsys, bad, '--out', tmp_path, '--pages', '0-2')
    assert code == 2 and '--pages' in stderr

    code, _, stderr = run_cli(capsys, bad, '--out', tmp_path, '--preset', 'nonesuch')
    assert code == 2 and "unknown preset 'nonesuch'" in stderr


def test_sharded_ranks_split_the_inputs(tmp_path, models, capsys, monkeypatch):
    for rank in (0, 1):
        monkeypatch.setenv('RANK', str(rank))
        monkeypatch.setenv('WORLD_SIZE', '2')
        code, _, stderr = run_cli(capsys, SAMPLES, '--out', tmp_path, '--preset',
                                  models / 'tiny.py', '--outputs', 'txt', '--quiet')
        assert code == 0 and f'[rank {rank}/2] inputs: 1 ok' in stderr
    assert sorted(os.listdir(tmp_path)) == ['sample_document_pdf', 'sample_photo_jpg']


def test_mmocr_inferencer_runs_with_the_plugin(models):
    import clip4str  # noqa: F401
    from mmocr.apis import MMOCRInferencer
    from clip4str.ocr.models import TextDetector
    image = os.path.join(SAMPLES, 'sample_photo.jpg')
    inferencer = MMOCRInferencer(det=str(models / 'det.py'), det_weights=str(models / 'det.pth'),
                                 rec=str(models / 'rec.py'), rec_weights=str(models / 'rec.pth'),
                                 device='cpu')
    pred = inferencer(image)['predictions'][0]
    assert set(pred) >= {'det_polygons', 'det_scores', 'rec_texts', 'rec_scores'}
    assert len(pred['rec_texts']) == len(pred['det_polygons'])
    # our adapter, from the same files, finds the same regions
    import cv2
    det = TextDetector(str(models / 'det.py'), str(models / 'det.pth'))
    polys, scores = det([cv2.imread(image)])[0]
    assert len(polys) == len(pred['det_polygons'])
    if polys:
        assert np.allclose(polys[0].reshape(-1), pred['det_polygons'][0], atol=1)


@pytest.mark.parametrize('argv, message', [
    (['--cfg-options', 'det.min_score=high'],
     "error: --cfg-options det.min_score='high': expected a number like 0.6"),
    (['--cfg-options', 'rectify.pad=abc'],
     "error: --cfg-options rectify.pad='abc': expected a number like 0.16"),
    (['--cfg-options', 'rectify.upside_down=7'],
     "error: --cfg-options rectify.upside_down=7: expected True or False"),
    (['--cfg-options', 'layout.row_column=wide'],
     "error: preset setting layout.row_column='wide': expected a number like 10.0"),
    (['--timeout', '-1'], 'error: --timeout: give seconds per page, or 0 for no limit'),
    (['--out', '{tmp}/a-file/out'], 'error: --out: output folder {tmp}/a-file/out is not '
     'writable: Not a directory'),
])
def test_bad_values_fail_in_one_line_before_models_load(tmp_path, capsys, monkeypatch, argv,
                                                        message):
    def no_models(*args, **kwargs):
        raise AssertionError('models were loaded')
    monkeypatch.setattr('clip4str.ocr.preset.build_engine', no_models)
    (tmp_path / 'a-file').write_text('')
    argv = [a.replace('{tmp}', str(tmp_path)) for a in argv]
    if '--out' not in argv:
        argv += ['--out', str(tmp_path / 'out')]
    code, _, stderr = run_cli(capsys, SAMPLES + '/sample_photo.jpg', *argv)
    assert code == 2 and stderr.strip() == message.replace('{tmp}', str(tmp_path))


def test_recognizer_cfg_options_are_type_checked():
    from clip4str.ocr.errors import ModelLoadError
    from clip4str.ocr.models import TextRecognizer
    config = os.path.join(REPO, 'configs/textrecog/clip4str/clip4str_tiny_toy.py')
    with pytest.raises(ModelLoadError, match="recognizer cfg_options "
                       "model.decoder.refine_iters='two': expected a number like 1"):
        TextRecognizer(config, cfg_options={'model': {'decoder': {'refine_iters': 'two'}}})


def test_an_empty_checkpoint_says_so(tmp_path):
    from clip4str.ocr.errors import ModelLoadError
    from clip4str.ocr.models import load_weights
    (tmp_path / 'empty.pth').write_bytes(b'')
    with pytest.raises(ModelLoadError, match=r'cannot read recognizer checkpoint .*empty.pth: '
                       r'the file is empty \(0 bytes\)'):
        load_weights(None, str(tmp_path / 'empty.pth'), 'recognizer')
