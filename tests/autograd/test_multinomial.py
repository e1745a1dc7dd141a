"""multinomial: PyTorch's draws for the same seed (the values below are PyTorch 2.13's), and its errors."""

import numpy as np
import pytest

import trainer
from trainer.utils.data import WeightedRandomSampler

P = [0.1, 0.2, 0.3, 0.4]


def test_draws_match_pytorch_for_both_algorithms():
    trainer.manual_seed(0)
    assert trainer.empty(3).exponential_().tolist() == pytest.approx([3.508326292037964, 1.2303847074508667,
                                                                      0.615044116973877], rel=0, abs=0)
    trainer.manual_seed(0)
    p = trainer.tensor(P)
    assert trainer.multinomial(p, 10, replacement=True).tolist() == [3, 3, 2, 3, 3, 3, 1, 2, 2, 1]
    assert trainer.multinomial(p, 3).tolist() == [1, 2, 3]
    assert p.multinomial(1).tolist() == [3]
    rows = trainer.tensor([[1.0, 0, 3], [0.5, 0.5, 0]])
    assert trainer.multinomial(rows, 4, replacement=True).tolist() == [[2, 2, 0, 2], [0, 1, 0, 1]]


def test_no_replacement_gives_distinct_indices_and_never_zero_weights():
    g = trainer.Generator().manual_seed(3)
    drawn = trainer.multinomial(trainer.tensor([0.0, 1.0, 2.0, 0.0, 5.0]), 3, generator=g).tolist()
    assert sorted(drawn) == [1, 2, 4]
    assert trainer.multinomial(trainer.ones(20), 20).sort().values.tolist() == list(range(20))


@pytest.mark.parametrize(("probs", "n", "replacement", "message"), [
    ([0.5, 0.5], 3, False, "without replacement"),
    ([0.5, -0.1], 1, False, "element < 0"),
    ([0.0, 0.0], 1, True, "sum of probabilities"),
    ([[[1.0]]], 1, True, "1 or 2 dim"),
])
def test_errors_are_pytorchs(probs, n, replacement, message):
    with pytest.raises(RuntimeError, match=message):
        trainer.multinomial(trainer.tensor(probs), n, replacement)


def test_weighted_random_sampler_draws_by_weight():
    sampler = WeightedRandomSampler([1, 2, 3], 6, generator=trainer.Generator().manual_seed(11))
    drawn = list(sampler)
    assert len(sampler) == 6 and len(drawn) == 6 and set(drawn) <= {0, 1, 2}
    assert sampler.weights.dtype == np.float64
    assert sorted(WeightedRandomSampler([0.0, 1.0, 1.0], 2, replacement=False)) == [1, 2]
    with pytest.raises(ValueError, match="num_samples"):
        WeightedRandomSampler([1.0], 0)
    with pytest.raises(ValueError, match="1d sequence"):
        WeightedRandomSampler([[1.0]], 1)
