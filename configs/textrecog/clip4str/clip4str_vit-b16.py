# CLIP4STR-B: ViT-B/16 at 224x224, width 512 decoders. 158M parameters (114M trainable).
_base_ = ['_base_clip4str.py']
