"""`tools/export_onnx.py`: a CLIP4STR recognizer (config + checkpoint, or random init) -> a
folder of ONNX graphs + model.json that `clip4str-ocr --rec-onnx FOLDER` runs with onnxruntime.

    tools/export_onnx.py configs/textrecog/clip4str/clip4str_small_conv-ctc.py weights/clip4str_small.pth \
        --out onnx/clip4str_small

Exit status: 0 on success, 2 for unusable model files or a failed export.
"""
import argparse
import sys


def parse_args(argv=None):
    from mmengine.config import DictAction
    p = argparse.ArgumentParser(prog='export_onnx', description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('config', help='recognizer config file')
    p.add_argument('checkpoint', nargs='?', help='checkpoint (default: random weights)')
    p.add_argument('--out', required=True, help='output folder (graphs + model.json)')
    p.add_argument('--opset', type=int, default=None, help='ONNX opset (default: 18)')
    p.add_argument('--no-check', action='store_true',
                   help='skip comparing onnxruntime with PyTorch on a random batch')
    p.add_argument('--cfg-options', nargs='+', action=DictAction,
                   help='override config settings, e.g. model.decoder.refine_iters=2')
    return p.parse_args(argv)


def compare(model, folder, batch: int = 2) -> str:
    """One line comparing onnxruntime and PyTorch on random images (garbage in, same out)."""
    import numpy as np
    import torch

    from clip4str.export.ort_decoder import OnnxCLIP4STR
    ort_model = OnnxCLIP4STR(folder, threads=1)
    inp = ort_model.meta['input']
    torch.manual_seed(0)
    images = torch.randn(batch, 3, inp['height'], inp['width'])
    with torch.no_grad():
        ref = model.decoder.forward_test(model.backbone(images)).numpy()
    got = ort_model.probabilities(ort_model.predict_logits(images.numpy()))
    if got.shape != ref.shape:
        return (f'check: output shapes differ (onnxruntime {got.shape}, PyTorch {ref.shape}): '
                'the AR loops stopped at different steps (near-tie argmax?)')
    same = (got.argmax(-1) == ref.argmax(-1)).all()
    return (f'check on {batch} random images: max |p_onnx - p_torch| = '
            f'{np.abs(got - ref).max():.2e}, argmax {"identical" if same else "DIFFERS"}')


def main(argv=None):
    import clip4str  # noqa: F401  (registries and compat fixes first)
    from clip4str.export.exporter import DEFAULT_OPSET, build_recognizer, export_onnx
    from clip4str.ocr.errors import ModelLoadError
    args = parse_args(argv)
    try:
        model, cfg = build_recognizer(args.config, args.checkpoint, args.cfg_options)
        if not args.checkpoint:
            print('warning: no checkpoint given: exporting RANDOM weights', file=sys.stderr)
        out = export_onnx(args.config, args.checkpoint, args.out, args.opset or DEFAULT_OPSET,
                          model=model, cfg=cfg)
    except ModelLoadError as e:
        print(f'error: {e}', file=sys.stderr)
        return 2
    print(f'wrote {out}')
    if not args.no_check:
        print(compare(model, out))
    return 0


def cli():
    sys.exit(main())


if __name__ == '__main__':
    cli()
