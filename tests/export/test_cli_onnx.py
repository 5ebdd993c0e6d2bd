"""`clip4str-ocr --rec-onnx` end to end, `rec=dict(onnx=...)` presets, and the clear errors for
missing or mismatched export folders and for configs that cannot be exported."""
import json
import shutil

import pytest

from tests.ocr.test_cli import DET_CFG, REC_CFG, SAMPLES, run_cli


@pytest.fixture(scope='module')
def preset(exported, tmp_path_factory):
    """A detector at random weights (a fixed checkpoint) and the trained tiny recognizer."""
    import torch

    from clip4str.ocr.models import TextDetector
    d = tmp_path_factory.mktemp('preset')
    (d / 'det.py').write_text(DET_CFG)
    torch.manual_seed(0)
    torch.save({'state_dict': TextDetector(str(d / 'det.py')).model.state_dict()}, d / 'det.pth')
    path = d / 'tiny.py'
    path.write_text(f"""_base_ = ['{SAMPLES}/../pipelines/document.py']
det = dict(config='{d}/det.py', weights='{d}/det.pth', input_size=(320, 320),
           min_score=0.3)  # random detector: the shipped one's threshold finds nothing
rec = dict(config='{exported.config}', weights='{exported.ckpt}', batch_size=16)
load = dict(dpi=40)
outputs = ['json', 'txt']
""")
    return path


def _page_texts(out):
    return {p.relative_to(out).as_posix(): json.loads(p.read_text())['rec_texts']
            for p in sorted(out.glob('*/page-*.json'))}


def test_cli_runs_the_onnx_recognizer_on_the_samples(exported, preset, tmp_path, capsys,
                                                      monkeypatch):
    # --backend torch: the reference is PyTorch, and the same detector runs in both
    code, _, stderr = run_cli(capsys, SAMPLES, '--out', tmp_path / 'torch', '--preset', preset,
                              '--quiet', '--backend', 'torch')
    assert code == 0, stderr
    import clip4str.ocr.models as models

    def no_pytorch_recognizer(*args, **kwargs):
        raise AssertionError('the PyTorch recognizer was built')
    monkeypatch.setattr(models, 'TextRecognizer', no_pytorch_recognizer)
    code, stdout, stderr = run_cli(capsys, SAMPLES, '--out', tmp_path / 'onnx', '--preset',
                                   preset, '--rec-onnx', exported.folder, '--backend', 'torch')
    assert code == 0, stderr
    assert 'inputs: 2 ok, 0 failed, 0 skipped | pages: 3' in stderr
    assert f'==> {SAMPLES}/sample_document.pdf <==' in stdout
    onnx, torch_ = _page_texts(tmp_path / 'onnx'), _page_texts(tmp_path / 'torch')
    assert len(onnx) == 3 and sum(len(t) for t in onnx.values()) > 0
    assert onnx == torch_  # same words on every page as the PyTorch recognizer


def test_preset_key_selects_the_onnx_recognizer(exported, preset, tmp_path):
    from clip4str.export import OnnxTextRecognizer
    from clip4str.ocr.preset import build_engine, load_preset
    path = tmp_path / 'onnx_preset.py'
    path.write_text(f"_base_ = ['{preset}']\n"
                    f"rec = dict(_delete_=True, onnx='{exported.folder}', batch_size=4)\n")
    engine = build_engine(load_preset(str(path)))
    assert isinstance(engine.recognizer, OnnxTextRecognizer)
    assert engine.recognizer.batch_size == 4


def _broken_copy(exported, tmp_path, edit=None, remove=None):
    folder = tmp_path / 'broken'
    shutil.copytree(exported.folder, folder)
    if edit:
        meta = json.loads((folder / 'model.json').read_text())
        edit(meta)
        (folder / 'model.json').write_text(json.dumps(meta))
    if remove:
        (folder / remove).unlink()
    return folder


@pytest.mark.parametrize('case,expected', [
    ('missing', 'ONNX recognizer folder not found: {folder}'),
    ('no_sidecar', '{folder} is not a CLIP4STR ONNX export: model.json is missing'),
    ('no_graph', 'ONNX graph {folder}/cross_step.onnx is missing'),
    ('version', '{folder}/model.json has format version 99'),
    ('size', 'ONNX graph {folder}/image_encoder.onnx does not match {folder}/model.json'),
    ('classes', 'ONNX graph {folder}/visual_step.onnx does not match {folder}/model.json'),
])
def test_bad_onnx_folder_is_a_clear_error(exported, preset, tmp_path, capsys, case, expected):
    def grow(meta):
        meta['dictionary']['num_classes'] += 1
    folder = {
        'missing': lambda: tmp_path / 'nowhere',
        'no_sidecar': lambda: _broken_copy(exported, tmp_path, remove='model.json'),
        'no_graph': lambda: _broken_copy(exported, tmp_path, remove='cross_step.onnx'),
        'version': lambda: _broken_copy(exported, tmp_path,
                                        edit=lambda m: m.update(version=99)),
        'size': lambda: _broken_copy(exported, tmp_path,
                                     edit=lambda m: m['input'].update(height=64)),
        'classes': lambda: _broken_copy(exported, tmp_path, edit=grow),
    }[case]()
    code, _, stderr = run_cli(capsys, SAMPLES, '--out', tmp_path / 'out', '--preset', preset,
                              '--rec-onnx', folder)
    assert code == 2
    assert expected.format(folder=folder) in stderr


def test_rec_onnx_excludes_rec_options(exported, preset, tmp_path, capsys):
    code, _, stderr = run_cli(capsys, SAMPLES, '--out', tmp_path, '--preset', preset,
                              '--rec-onnx', exported.folder, '--rec-weights', exported.ckpt)
    assert code == 2 and '--rec-onnx replaces --rec/--rec-weights' in stderr


def test_export_tool_errors_name_the_file(tmp_path, capsys):
    from clip4str.cli.export_onnx import main
    missing = tmp_path / 'nope.py'
    assert main([str(missing), '--out', str(tmp_path / 'o')]) == 2
    assert f'recognizer config file not found: {missing}' in capsys.readouterr().err
    crnn = tmp_path / 'crnn.py'
    crnn.write_text(REC_CFG)
    assert main([str(crnn), '--out', str(tmp_path / 'o')]) == 2
    assert 'builds a CRNN; only CLIP4STR recognizers are exported' in capsys.readouterr().err
