# CLIP4STR-S with two training aids for from-scratch CPU training (not in the paper):
# - a convolutional stem (3 stride-2 3x3 convs, 48/96/192 channels) instead of the 8x8 patchify
#   convolution: locality from the first layer, the "early convolutions" remedy for slow ViT
#   convergence;
# - an auxiliary CTC loss on the encoder's 16 patch columns (2 frames each), which makes the
#   encoder localise characters early instead of after the long language-prior plateau.
# Inference is the CLIP4STR model unchanged (the CTC head is only used by the loss).
_base_ = ['clip4str_small.py']

model = dict(
    backbone=dict(stem=dict(type='conv', channels=(48, 96, 192))),
    aux_ctc=dict(weight=0.5, upsample=2))
