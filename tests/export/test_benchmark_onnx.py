"""`tools/benchmark.py --onnx FOLDER` times the export next to the PyTorch model (figures are
printed, never asserted)."""


def test_benchmark_prints_onnx_rows(exported, capsys):
    from clip4str.cli.benchmark import main
    main(['--rec', str(exported.config), '--rec-weights', str(exported.ckpt), '--onnx',
          str(exported.folder), '--crops', '4', '--batch-sizes', '1', '2', '--threads', '1'])
    out = capsys.readouterr().out
    rows = [ln for ln in out.splitlines() if ' trained ' in ln]
    assert len(rows) == 2 and rows[1].startswith('clip4str_tiny_toy [onnxruntime]')
    assert all(len(r.split()) >= 6 for r in rows)  # crops/s at both sizes, accuracy, memory
    assert 'clip4str_tiny_toy: onnxruntime vs PyTorch: bs 1: ' in out
