"""The backward walk (chain steps without the heap, the heap on fan-out) against a plain heap walk, bit for bit."""

import heapq

import numpy as np
import pytest

import trainer as torch
from trainer.autograd.tensor import unbroadcast


def _reference_grads(root: torch.Tensor, leaves: list[torch.Tensor]) -> list[np.ndarray | None]:
    """Each leaf's gradient (None if unreached) by the readable walk: every pending node in one heap."""
    pending = {id(root): np.ones_like(root._array)}
    heap = [(-root._seq, root)]
    found: dict[int, np.ndarray] = {}
    while heap:
        node = heapq.heappop(heap)[1]
        g = pending.pop(id(node))
        for parent, pg in zip(node._parents, node._backward(g)):
            if pg is None or not parent.requires_grad:
                continue
            pg = unbroadcast(pg, parent._array.shape).astype(parent._array.dtype)
            store = found if parent._backward is None else pending
            if id(parent) in store:
                store[id(parent)] = store[id(parent)] + pg
            else:
                store[id(parent)] = pg
                if store is pending:
                    heapq.heappush(heap, (-parent._seq, parent))
    return [found.get(id(leaf)) for leaf in leaves]


def _random_graph(seed: int, dtype) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """A random DAG of elementwise, matrix and reduction ops over three leaves, with chains and fan-out."""
    rng = np.random.default_rng(seed)
    leaves = [torch.tensor(rng.standard_normal((4, 4)), dtype=dtype, requires_grad=True) for _ in range(3)]
    values = list(leaves)
    for _ in range(12):
        a = values[int(rng.integers(len(values)))]
        b = values[-1] if rng.random() < 0.5 else values[int(rng.integers(len(values)))]
        kind = int(rng.integers(7))
        out = [a + b, a * b, a.relu(), a @ b, (a * 0.5).tanh(), a - b.sum(0), a * a][kind]
        values.append(out)
    return sum(v.sum() for v in values[-3:]), leaves


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("seed", range(8))
def test_random_graphs_give_the_plain_walks_bits(seed, dtype):
    root, leaves = _random_graph(seed, dtype)
    root.backward()
    root_ref, leaves_ref = _random_graph(seed, dtype)
    expected = _reference_grads(root_ref, leaves_ref)
    assert sum(want is not None for want in expected) >= 2
    for leaf, want in zip(leaves, expected, strict=True):
        if want is None:
            assert leaf.grad is None
        else:
            assert leaf.grad.dtype == leaf.dtype
            assert np.array_equal(leaf.grad.numpy(), want)


def test_a_chain_that_fans_out_later_sums_both_paths():
    x = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
    a = x * 2
    b = a.exp()
    (b * a).sum().backward()  # b and a pending together: d/dx exp(2x) 2x
    xs = x.detach().numpy()
    assert np.allclose(x.grad.numpy(), 2 * np.exp(2 * xs) * 2 * xs + np.exp(2 * xs) * 2)


def test_one_node_passing_the_same_array_to_one_parent_twice():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    (h + h).sum().backward()  # Add hands its gradient to both parents: h's pending sum must not alias it
    assert np.array_equal(x.grad.numpy(), np.array([6.0, 6.0], np.float32))
    y = torch.tensor([1.0, 2.0], requires_grad=True)
    z = y * 3
    (z * z).sum().backward()
    assert np.array_equal(y.grad.numpy(), (18 * y.detach()).numpy())


def test_leaves_fed_one_array_get_their_own_grads():
    x, w = torch.ones(3, requires_grad=True), torch.ones(3, requires_grad=True)
    (x + w).sum().backward()
    assert not np.shares_memory(x.grad.numpy(), w.grad.numpy())
    x.grad.add_(1)
    assert np.array_equal(w.grad.numpy(), np.ones(3, np.float32))


def test_retain_grad_on_a_chain_keeps_each_intermediate_gradient():
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    a = x * 2
    a.retain_grad()
    b = a.relu()
    b.retain_grad()
    (b * 3).sum().backward()
    assert np.array_equal(b.grad.numpy(), np.full(3, 3, np.float32))
    assert np.array_equal(a.grad.numpy(), np.array([3, 0, 3], np.float32))
    assert np.array_equal(x.grad.numpy(), np.array([6, 0, 6], np.float32))
    assert not np.shares_memory(a.grad.numpy(), x.grad.numpy())


def test_a_chain_accumulates_with_retain_graph_and_refuses_a_freed_graph():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    loss = ((x * 2).exp() * 1).sum()
    loss.backward(retain_graph=True)
    first = x.grad.numpy().copy()
    loss.backward()
    assert np.array_equal(x.grad.numpy(), first + first)
    with pytest.raises(RuntimeError, match="second time"):
        loss.backward()


def test_a_saved_tensor_modified_in_place_inside_a_chain_raises():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    a = x * 2
    b = a.exp()
    c = b * 1
    b.add_(1)  # exp saved its result
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        c.sum().backward()
