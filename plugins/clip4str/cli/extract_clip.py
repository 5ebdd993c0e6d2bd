"""`tools/extract_clip.py`: the CLIP towers of a trained CLIP4STR checkpoint as a CLIP weight
file (OpenAI layout), e.g. as the teacher of CLIP-OCR distillation
(``model.teacher.pretrained``) or as ``clip_pretrained`` of another run."""
import argparse
import os.path as osp


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Extract the CLIP towers of a CLIP4STR '
                                     'checkpoint into a CLIP state dict file')
    parser.add_argument('checkpoint', help='CLIP4STR checkpoint (runner .pth or weights)')
    parser.add_argument('out', help='output .pth (OpenAI CLIP key layout)')
    return parser.parse_args(argv)


def extract(checkpoint: str, out: str) -> int:
    import clip4str  # noqa: F401
    import torch
    from clip4str_compat import safe_load_checkpoint

    from clip4str.models.clip.export import clip_state_dict_from_clip4str
    if not osp.isfile(checkpoint):
        raise SystemExit(f'error: checkpoint not found: {checkpoint}')
    ckpt = safe_load_checkpoint(checkpoint, map_location='cpu')
    state_dict = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else None
    if not isinstance(state_dict, dict):
        raise SystemExit(f'error: {checkpoint}: no state dict inside')
    try:
        clip = clip_state_dict_from_clip4str(state_dict)
    except ValueError as e:
        raise SystemExit(f'error: {checkpoint}: {e}')
    torch.save({k: v.float() for k, v in clip.items()}, out)
    return len(clip)


def main(argv=None):
    args = parse_args(argv)
    n = extract(args.checkpoint, args.out)
    print(f'{args.out}: {n} CLIP tensors from {args.checkpoint}')


if __name__ == '__main__':
    main()
