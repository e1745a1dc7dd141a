"""A constructor's error that names an argument points at that argument's key, not at the whole section."""

from __future__ import annotations

import pytest

from trainer.build.optimizer import argument_key, build_optimizer
from trainer.config import load_config
from trainer.errors import UserError
from trainer.nn import Linear

from ..config.helpers import seed

ADAM = ["lr", "betas", "eps", "weight_decay", "amsgrad"]

MESSAGES = [
    ("Invalid beta parameter at index 0: 1.5", "betas.0"),
    ("Invalid beta parameter at index 1: -0.1", "betas.1"),
    ("Invalid learning rate: -1", "lr"),
    ("Learning rate should be >= 0 but is: -1", "lr"),
    ("Invalid epsilon value: -1e-08", "eps"),
    ("Invalid weight_decay value: -1", "weight_decay"),
    ("something unrelated went wrong", None),
]


@pytest.mark.parametrize(("message", "key"), MESSAGES)
def test_pytorch_style_messages_name_their_argument(message, key):
    assert argument_key(message, ADAM) == key


def test_only_arguments_of_the_component_are_named():
    assert argument_key("Invalid momentum value: -1", ["lr", "momentum"]) == "momentum"
    assert argument_key("Invalid momentum value: -1", ADAM) is None
    assert argument_key("epsilon2 should be >= 0 but is: -1", ["lr", "eps"]) == "eps.1"
    assert argument_key("Factor should be < 1.0.", ["mode", "factor"]) == "factor"


def test_an_invalid_beta_from_the_constructor_points_at_optimizer_betas():
    spec = load_config(seed()).optimizer.model_copy(update={"betas": (1.5, 0.999)})  # past the schema's range
    with pytest.raises(UserError) as err:
        build_optimizer(spec, Linear(2, 1), 1)
    assert err.value.key == "optimizer.betas.0"
    assert "cannot build optimizer 'adam': Invalid beta parameter at index 0" in err.value.message
