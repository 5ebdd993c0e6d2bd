"""`tools/convert_ckpt.py`: a reference CLIP4STR checkpoint -> this plugin's checkpoint."""
import argparse
import os.path as osp

import torch


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert a reference CLIP4STR checkpoint (Lightning .ckpt or .pt state '
        'dict) into an MMOCR checkpoint for the given config')
    parser.add_argument('src', help='reference checkpoint')
    parser.add_argument('dst', help='output .pth')
    parser.add_argument('--config', required=True,
                        help='our config of the same architecture, e.g. '
                        'configs/textrecog/clip4str/clip4str_vit-b16.py')
    parser.add_argument('--charset', default=None,
                        help="the reference training charset (default: the checkpoint's "
                        "hyper-parameters, else the 94-character '94_full')")
    parser.add_argument('--trust', action='store_true',
                        help='fully unpickle the source (Lightning hyper-parameters); only for '
                        'files you trust')
    parser.add_argument('--fp16', action='store_true', help='store float weights as fp16')
    parser.add_argument('--default-mode', action='store_true',
                        help="read with the project's defaults instead of the reference's "
                        'inference settings (by default the checkpoint is paired with a config '
                        'that sets model.reference_parity=True)')
    return parser.parse_args(argv)


def parity_config(config: str, dst: str) -> str:
    """The config to read a converted checkpoint with ``model.reference_parity=True``: ``config``
    itself if it sets it, its shipped ``*_reference.py`` sibling, else a short config written
    beside ``dst`` that inherits from ``config``."""
    from mmengine.config import Config
    if Config.fromfile(config).model.get('reference_parity'):
        return config
    stem, ext = osp.splitext(config)
    sibling = f'{stem}_reference{ext}'
    if osp.isfile(sibling) and Config.fromfile(sibling).model.get('reference_parity'):
        return sibling
    from clip4str.models.recognizers.reference_parity import config_overrides
    out = osp.splitext(dst)[0] + '.py'
    with open(out, 'w') as f:
        f.write('# written by tools/convert_ckpt.py: read as the reference CLIP4STR does\n'
                f'_base_ = [{osp.abspath(config)!r}]\nmodel = {config_overrides()!r}\n')
    return out


def convert(src: str, dst: str, config: str, charset=None, trust=False, fp16=False,
            reference_parity=True) -> dict:
    """Write ``dst``; with ``reference_parity`` (default) also name (or write) the config that
    reads it as the reference does (returned in the report as ``config``)."""
    import clip4str  # noqa: F401
    from mmengine.config import Config
    from mmocr.registry import MODELS
    from mmocr.utils import register_all_modules

    from clip4str.models.reference_checkpoint import (REFERENCE_CHARSET_94, convert_state_dict,
                                                      load_reference_checkpoint,
                                                      reference_charset)
    register_all_modules()
    if not osp.isfile(src):
        raise SystemExit(f'error: checkpoint not found: {src}')
    ckpt = load_reference_checkpoint(src, trust=trust)
    ref_sd = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else None
    if not isinstance(ref_sd, dict):
        raise SystemExit(f'error: {src}: no state dict inside')
    charset = charset or reference_charset(ckpt) or REFERENCE_CHARSET_94

    model = MODELS.build(Config.fromfile(config).model)
    d = model.decoder.dictionary
    sd, report = convert_state_dict(ref_sd, d.dict, d.start_idx, d.end_idx, d.padding_idx,
                                    charset)
    own = model.state_dict()
    missing = [k for k in own if k not in sd]
    unexpected = [k for k in sd if k not in own]
    shapes = [f'{k}: {tuple(sd[k].shape)} vs {tuple(own[k].shape)}'
              for k in own if k in sd and sd[k].shape != own[k].shape]
    if missing or unexpected or shapes:
        raise SystemExit(
            f'error: {src} does not match {config}:\n'
            f'  missing ({len(missing)}): {missing[:6]}\n  unexpected ({len(unexpected)}): '
            f'{unexpected[:6]}\n  shape mismatches: {shapes[:6]}\n'
            '  Use the config of the same architecture (B/16, L/14, H/14, B/32).')
    if report['missing_chars']:
        print(f'warning: {len(report["missing_chars"])} characters of the dictionary are not in '
              f'the reference charset and will never be predicted: '
              f'{"".join(report["missing_chars"])!r}')
    if fp16:
        sd = {k: v.half() if v.is_floating_point() else v for k, v in sd.items()}
    read_with = parity_config(config, dst) if reference_parity else config
    meta = dict(converted_from=osp.basename(src), reference_charset=charset, config=read_with,
                reference_parity=reference_parity)
    torch.save(dict(state_dict=sd, meta=meta), dst)
    print(f'wrote {dst}: {len(sd)} tensors; ignored {len(report["skipped"])} reference entries')
    print(f'read it with the config {read_with}' +
          (' (reference parity: reads as the reference implementation)'
           if reference_parity else " (the project's default inference settings)"))
    return dict(report, config=read_with)


def main(argv=None):
    args = parse_args(argv)
    convert(args.src, args.dst, args.config, args.charset, args.trust, args.fp16,
            reference_parity=not args.default_mode)


if __name__ == '__main__':
    main()
