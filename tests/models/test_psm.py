"""PSM permutations and attention masks, as the reference generates them."""
import torch

from .helpers import build, tiny_cfg


def psm_loss():
    return build(tiny_cfg()).decoder.module_loss


def tgt_for(length, batch=2):
    return torch.zeros(batch, length + 2, dtype=torch.long)


def test_six_permutations_canonical_reversed_random_and_mirrors():
    torch.manual_seed(0)
    perms = psm_loss().permutations(tgt_for(7))
    assert perms.shape == (6, 9)
    assert torch.equal(perms[0], torch.arange(9))  # canonical
    # reversed characters, with EOS (position 8) first: the null context for EOS
    assert perms[1].tolist() == [0, 8, 7, 6, 5, 4, 3, 2, 1]
    for p in perms:  # every row is a permutation with BOS first
        assert p[0] == 0 and sorted(p.tolist()) == list(range(9))
    for a, b in ((2, 3), (4, 5)):  # random orders paired with their mirror images
        assert perms[a][-1] == 8 and perms[b][-1] == 8
        assert torch.equal(perms[a][1:-1].flip(0), perms[b][1:-1])
    assert len({tuple(p.tolist()) for p in perms}) == 6


def test_short_labels_get_all_distinct_orders():
    loss = psm_loss()
    assert loss.permutations(tgt_for(1)).tolist() == [[0, 1, 2]]
    assert len(loss.permutations(tgt_for(2))) == 2  # forward + mirror only
    for n in (3, 4):
        perms = loss.permutations(tgt_for(n))
        assert len(perms) == 6 and len({tuple(p.tolist()) for p in perms}) == 6


def test_attention_masks_follow_the_order():
    loss = psm_loss()
    perm = torch.tensor([0, 2, 3, 1, 4])  # BOS, c2, c3, c1, EOS
    content, query = loss.attn_masks(perm)
    assert content.shape == query.shape == (4, 4)
    seen = ~torch.isinf(content)
    # content position a sees b iff b precedes a in the order (itself included)
    assert seen.tolist() == [[True, False, False, False],   # BOS sees only itself
                             [True, True, True, True],      # c1 comes after BOS, c2, c3
                             [True, False, True, False],    # c2 after BOS
                             [True, False, True, True]]     # c3 after BOS, c2
    # query row r predicts token r + 1 and may not see that token's content
    qseen = ~torch.isinf(query)
    assert qseen.tolist() == [[True, False, True, True],    # predicts c1
                              [True, False, False, False],  # predicts c2
                              [True, False, True, False],   # predicts c3
                              [True, True, True, True]]     # predicts EOS: sees all


def test_eos_targets_dropped_after_two_orders():
    loss = psm_loss()
    tgt = torch.tensor([[loss.bos_id, 1, 2, loss.eos_id]])
    logits = torch.zeros(1, 3, loss.dictionary.num_classes)
    # logits predicting every target perfectly except EOS
    perfect = logits.clone()
    perfect[0, 0, 1] = perfect[0, 1, 2] = 50.
    outs = dict(targets=tgt, logits=[(perfect, None)] * 4)
    # only the first two orders pay for the unpredicted EOS: loss = 2 * 3 * ln(C) ... / (3+3+2+2)
    value = loss(outs)['loss_visual'].item()
    import math
    expected = 2 * math.log(loss.dictionary.num_classes) / 10
    assert abs(value - expected) < 1e-4
