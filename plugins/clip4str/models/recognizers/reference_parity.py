"""``CLIP4STR(reference_parity=...)``: read released checkpoints as the reference's test script.

The project's defaults differ from the reference CLIP4STR's inference in a few deliberate ways
(docs/models.md, "Faithfulness"); this switch undoes every one of them in the configs of the
preprocessor, decoder and postprocessor before they are built:

- normalisation 0.5 / 0.5 (the reference's test transform, ``strhub/data/module.py``) instead
  of CLIP's mean/std;
- the cross branch's step budget of the reference (``cross_steps='visual'``: as many AR steps as
  the batch's visual pass took), AR decoding, cross-branch output;
- no cap on the text length (all 26 positions are read when no EOS is predicted).

Opt-in, with ``reference_parity=dict(literal_caption_cut=True, fp16_clip_weights=True)``:

- ``literal_caption_cut``: captions cut at the string ``[E]``, as the reference does;
- ``fp16_clip_weights``: CLIP files loaded by ``load_clip`` get their conv/linear weights
  rounded to fp16 precision, as the reference's ``clip.load`` does (no effect on converted
  reference checkpoints, which hold the trained weights themselves).
"""
from typing import Dict, Optional, Tuple, Union

# 0.5 / 0.5 on the 0-1 scale, on the 0-255 scale of TextRecogDataPreprocessor
REFERENCE_TEST_MEAN = [127.5, 127.5, 127.5]
REFERENCE_TEST_STD = [127.5, 127.5, 127.5]
OPT_IN = ('literal_caption_cut', 'fp16_clip_weights')

ParityType = Union[bool, Dict]


def parity_options(reference_parity: ParityType) -> Optional[Dict[str, bool]]:
    """``None`` when off; else the opt-in behaviours, each True or False."""
    if not reference_parity:
        return None
    chosen = {} if reference_parity is True else dict(reference_parity)
    unknown = sorted(set(chosen) - set(OPT_IN))
    if unknown:
        raise ValueError(f'reference_parity: unknown options {unknown}; known: {list(OPT_IN)}')
    return {k: bool(chosen.get(k, False)) for k in OPT_IN}


def config_overrides() -> Dict:
    """The model config lines the switch implies (opt-ins aside), spelled out for configs: tools
    that read a config instead of the built model (the ONNX exporter) then see them too."""
    return dict(reference_parity=True,
                data_preprocessor=dict(mean=REFERENCE_TEST_MEAN, std=REFERENCE_TEST_STD),
                decoder=dict(decode_mode='ar', output_branch='cross', cross_steps='visual',
                             postprocessor=dict(cap_length=False)))


def apply_reference_parity(data_preprocessor: Optional[Dict], decoder: Dict,
                           options: Dict[str, bool]) -> Tuple[Dict, Dict]:
    """The preprocessor and decoder configs with the reference's inference settings."""
    if data_preprocessor is None:
        raise ValueError('reference_parity needs a data_preprocessor config to normalise with')
    settings = config_overrides()
    data_preprocessor = dict(data_preprocessor, **settings['data_preprocessor'])
    decoder_settings = dict(settings['decoder'])
    postprocessor = dict(decoder.get('postprocessor') or dict(type='CLIP4STRPostprocessor'),
                         **decoder_settings.pop('postprocessor'))
    decoder = dict(decoder, **decoder_settings, postprocessor=postprocessor)
    if options['literal_caption_cut']:
        decoder['caption_cut'] = 'literal'
    return data_preprocessor, decoder
