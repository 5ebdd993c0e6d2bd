"""Per-layer outputs of a :class:`TwoStreamDecoder` pass (the student's decoder stages)."""
from typing import List, Optional

from torch import Tensor

from ..decoders.two_stream import TwoStreamDecoder, combine_masks


def decoder_stages(decoder: TwoStreamDecoder, tgt_in: Tensor, memory: Tensor,
                   query_mask: Optional[Tensor] = None, content_mask: Optional[Tensor] = None,
                   padding_mask: Optional[Tensor] = None) -> List[Tensor]:
    """The query stream after every layer, each through the decoder's final norm (as CLIP-OCR's
    stage decoder); the last one is what :meth:`TwoStreamDecoder.forward` feeds its head."""
    memory_kv = decoder.prepare_memory(memory)
    n, length = tgt_in.shape
    content = decoder.embed_content(tgt_in)
    query = decoder.dropout(decoder.pos_queries[:, :length].expand(n, -1, -1))
    query_mask = combine_masks(query_mask, padding_mask)
    content_mask = combine_masks(content_mask, padding_mask)
    stages = []
    for i, layer in enumerate(decoder.layers):
        query, content = layer(query, content, memory_kv[i], query_mask, content_mask,
                               update_content=i < len(decoder.layers) - 1)
        stages.append(decoder.norm(query))
    return stages
