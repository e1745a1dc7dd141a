"""Compare variants of a wrapper optimizer (lookahead): what they wrap, and the lr they inherit."""

from __future__ import annotations

from trainer.experiments.variants import parse_optimizers

ADAM = {"type": "adam", "lr": 0.1, "betas": [0.8, 0.9]}


def _block(spec: str, base: dict) -> dict:
    return parse_optimizers(spec)[0].block(base)


def test_a_wrapper_without_a_block_wraps_the_configs_optimizer() -> None:
    assert _block("lookahead:k=3", ADAM) == {"type": "lookahead", "k": 3, "optimizer": ADAM}


def test_a_wrapper_naming_another_type_gives_it_the_configs_lr() -> None:
    assert _block("lookahead:optimizer=sgd", ADAM) == {"type": "lookahead", "optimizer": {"type": "sgd", "lr": 0.1}}
    assert _block("lookahead:optimizer={type: adam, eps: 0.001}", ADAM) == {
        "type": "lookahead", "optimizer": {**ADAM, "eps": 0.001}}  # the config's own type keeps its settings


def test_a_plain_variant_of_a_lookahead_config_inherits_the_wrapped_lr() -> None:
    base = {"type": "lookahead", "k": 5, "optimizer": ADAM}
    assert _block("sgd", base) == {"type": "sgd", "lr": 0.1}
    assert _block("lookahead:k=2", base) == {**base, "k": 2}
