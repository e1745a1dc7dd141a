"""`trainer.utils.data`: datasets, samplers, collation and `DataLoader`, against PyTorch's behaviour."""

from __future__ import annotations

from collections import namedtuple

import numpy as np
import pytest

import trainer
from tests.reference_data import load_reference
from trainer.utils.data import (
    BatchSampler,
    ConcatDataset,
    DataLoader,
    Dataset,
    IterableDataset,
    RandomSampler,
    SequentialSampler,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)

SAMPLING = load_reference("torch_api", "sampling")


def _data(n: int = 10) -> TensorDataset:
    return TensorDataset(trainer.arange(float(n)).reshape(n, 1), trainer.arange(n))


def test_tensor_dataset_subset_concat_and_add() -> None:
    ds = _data()
    x, y = ds[3]
    assert len(ds) == 10 and x.tolist() == [3.0] and y.item() == 3
    with pytest.raises(AssertionError, match="Size mismatch"):
        TensorDataset(trainer.zeros(3), trainer.zeros(4))
    sub = Subset(ds, [4, 1])
    assert len(sub) == 2 and sub[1][1].item() == 1
    both = ds + sub
    assert isinstance(both, ConcatDataset) and len(both) == 12 and both.cumulative_sizes == [10, 12]
    assert both[10][1].item() == 4 and both[-1][1].item() == 1
    with pytest.raises(NotImplementedError):
        Dataset()[0]


def test_random_split_by_lengths_and_fractions() -> None:
    parts = random_split(range(10), [0.7, 0.3], generator=trainer.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [7, 3]
    assert sorted(parts[0].indices + parts[1].indices) == list(range(10))
    assert [len(p) for p in random_split(range(11), [0.5, 0.5])] == [6, 5]  # remainder round-robin
    assert [len(p) for p in random_split(range(7), [2, 5])] == [2, 5]
    with pytest.raises(ValueError, match="Sum of input lengths"):
        random_split(range(7), [2, 4])
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        random_split(range(2), [1.0, 0.0])


def test_samplers() -> None:
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    trainer.manual_seed(0)
    order = list(RandomSampler(range(10)))
    trainer.manual_seed(0)
    assert sorted(order) == list(range(10)) and list(RandomSampler(range(10))) == order
    draws = list(RandomSampler(range(5), replacement=True, num_samples=40))
    assert len(draws) == 40 and set(draws) <= set(range(5))
    assert len(list(RandomSampler(range(5), num_samples=12))) == 12
    assert list(BatchSampler(range(5), 2, drop_last=False)) == [[0, 1], [2, 3], [4]]
    assert len(BatchSampler(range(5), 2, drop_last=True)) == 2
    with pytest.raises(ValueError, match="batch_size should be a positive integer"):
        BatchSampler(range(5), 0, False)
    with pytest.raises(ValueError, match="num_samples should be a positive integer"):
        RandomSampler(range(5), num_samples=0)


def test_default_collate_follows_pytorchs_rules() -> None:
    batch = default_collate([(trainer.tensor([1.0, 2.0]), 1, 0.5, "a", True),
                             (trainer.tensor([3.0, 4.0]), 2, 1.5, "b", False)])
    assert isinstance(batch, list) and batch[0].shape == (2, 2)
    assert batch[1].dtype == trainer.int64 and batch[2].dtype == trainer.float64 and batch[4].dtype == trainer.bool
    assert batch[3] == ["a", "b"]
    d = default_collate([{"x": np.float32([1, 2]), "y": np.int64(3)}, {"x": np.float32([3, 4]), "y": np.int64(4)}])
    assert d["x"].dtype == trainer.float32 and d["x"].shape == (2, 2) and d["y"].tolist() == [3, 4]
    point = namedtuple("point", "a b")
    p = default_collate([point(1, 2.0), point(3, 4.0)])
    assert isinstance(p, point) and p.a.tolist() == [1, 3]
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([[1, 2], [1]])


def test_data_loader_batches_len_and_drop_last() -> None:
    loader = DataLoader(_data(), batch_size=4)
    batches = list(loader)
    assert len(loader) == 3 and [b[1].tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert batches[0][0].shape == (4, 1)
    assert len(DataLoader(_data(), batch_size=4, drop_last=True)) == 2
    trainer.manual_seed(3)
    shuffled = [i for _, y in DataLoader(_data(), batch_size=4, shuffle=True) for i in y.tolist()]
    assert sorted(shuffled) == list(range(10))
    unbatched = list(DataLoader(_data(3), batch_size=None))
    assert len(unbatched) == 3 and unbatched[0][0].shape == (1,)
    custom = DataLoader(_data(), batch_sampler=[[0, 9], [5]], collate_fn=lambda b: [s[1].item() for s in b])
    assert list(custom) == [[0, 9], [5]] and len(custom) == 2
    workers = DataLoader(_data(), batch_size=5, num_workers=2, persistent_workers=True, pin_memory=True)
    assert [b[1].tolist() for b in workers] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


def test_data_loader_argument_errors_are_pytorchs() -> None:
    ds = _data()
    with pytest.raises(ValueError, match="mutually exclusive with shuffle"):
        DataLoader(ds, sampler=SequentialSampler(ds), shuffle=True)
    with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive"):
        DataLoader(ds, batch_sampler=[[0]], batch_size=2)
    with pytest.raises(ValueError, match="num_workers option should be non-negative"):
        DataLoader(ds, num_workers=-1)
    with pytest.raises(ValueError, match="persistent_workers option needs num_workers > 0"):
        DataLoader(ds, persistent_workers=True)
    with pytest.raises(ValueError, match="mutually exclusive with drop_last"):
        DataLoader(ds, batch_size=None, drop_last=True)


class _Count(IterableDataset):
    def __init__(self, n: int) -> None:
        self.n = n

    def __iter__(self):  # noqa: ANN204
        return iter(range(self.n))

    def __len__(self) -> int:
        return self.n


def test_iterable_dataset_is_read_in_order() -> None:
    loader = DataLoader(_Count(5), batch_size=2)
    assert [b.tolist() for b in loader] == [[0, 1], [2, 3], [4]] and len(loader) == 3
    assert [b.tolist() for b in DataLoader(_Count(5), batch_size=2, drop_last=True)] == [[0, 1], [2, 3]]
    with pytest.raises(ValueError, match="expected unspecified shuffle option"):
        DataLoader(_Count(5), shuffle=True)


def test_reachable_as_pytorch_spells_it() -> None:
    import trainer.utils.data as data_module  # noqa: PLC0415 - the import statement itself is under test

    assert trainer.utils.data.DataLoader is DataLoader is data_module.DataLoader


def test_shuffled_orders_equal_pytorchs() -> None:
    trainer.manual_seed(0)
    assert list(RandomSampler(range(10))) == SAMPLING["default"]
    assert list(RandomSampler(range(10), generator=trainer.Generator().manual_seed(1))) == SAMPLING["with_generator"]
    trainer.manual_seed(3)
    assert [y.tolist() for _, y in DataLoader(_data(), batch_size=4, shuffle=True)] == SAMPLING["loader_batches"]
    parts = random_split(range(10), [0.7, 0.3], generator=trainer.Generator().manual_seed(5))
    assert [list(p.indices) for p in parts] == SAMPLING["split_fractions"]
