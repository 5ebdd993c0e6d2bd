# What `model.reference_parity=True` sets, spelled out as well for tools that read the config rather
# than the model (the ONNX exporter). Used by clip4str_vit-*_reference.py; docs/models.md,
# "Faithfulness".
reference_parity_model = dict(
    reference_parity=True,
    data_preprocessor=dict(mean=[127.5, 127.5, 127.5], std=[127.5, 127.5, 127.5]),  # 0.5 / 0.5
    decoder=dict(decode_mode='ar', output_branch='cross', cross_steps='visual',
                 postprocessor=dict(cap_length=False)))
