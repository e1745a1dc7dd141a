"""Memory estimates for the optimizers beyond torch.optim: Lookahead adds its slow weights to what it wraps;
SOAP's preconditioner matrices are counted by their real size, not per parameter."""

from __future__ import annotations

from tests.cli.helpers import SEED
from trainer.build import validate_experiment
from trainer.build.memory import matrix_state, state_slots


def _optimizer(block: str):
    return validate_experiment(SEED, [f"optimizer={block}"]).config.optimizer


def test_lookahead_counts_its_slow_weights_on_top_of_the_wrapped_optimizer() -> None:
    assert state_slots(_optimizer("{type: lookahead, optimizer: adam}")) == 1 + 2
    assert state_slots(_optimizer("{type: lookahead, pullback_momentum: pullback, "
                                  "optimizer: {type: adam, amsgrad: true}}")) == 1 + 1 + 3
    assert state_slots(_optimizer("{type: mars, ams_bound: true}")) == 4
    assert state_slots(_optimizer("adan")) == 4


def test_soap_counts_two_matrices_per_preconditioned_dimension() -> None:
    shapes = [(32, 3), (32,)]
    assert matrix_state(_optimizer("soap"), shapes) == 2 * (32 * 32 + 3 * 3)
    assert matrix_state(_optimizer("{type: soap, precondition_1d: true}"), shapes) == 2 * (2 * 32 * 32 + 3 * 3)
    assert matrix_state(_optimizer("{type: soap, max_precondition_dim: 10}"), shapes) == 2 * 3 * 3
    assert matrix_state(_optimizer("{type: soap, merge_dims: true, max_precondition_dim: 3}"), [(2, 1, 3)]) \
        == 2 * 2 * 2 + 2 * 3 * 3  # (2, 1, 3) merges to (2, 3)
    assert matrix_state(_optimizer("{type: lookahead, optimizer: soap}"), shapes) == 2 * (32 * 32 + 3 * 3)
    assert matrix_state(_optimizer("adam"), shapes) == 0


def test_a_wide_soap_layer_is_refused_by_its_matrices() -> None:
    wide = ["model.layers.0.out_features=9000", "training.max_memory=1GiB"]
    assert validate_experiment(SEED, [*wide, "optimizer=adam"]).model is not None
    try:
        validate_experiment(SEED, [*wide, "optimizer=soap"])  # 2 x 9000^2 numbers in each of two layers
    except Exception as exc:  # noqa: BLE001 - the UserError names the memory limit
        assert "over the memory limit" in str(exc)
    else:
        raise AssertionError("SOAP's 9000 x 9000 preconditioners should not fit in 1 GiB")
