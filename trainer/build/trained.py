"""A run's trained model rebuilt from its config and weights, without its data, its optimizer or a seed change."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from ..autograd import get_default_dtype, get_rng_state, set_default_dtype, set_rng_state
from ..config.schema import RunConfig
from ..data.preprocessing import Preprocessing
from ..errors import UserError
from ..nn import Module
from ..training.state import load_model_arrays
from .checks import PROBE_ROWS
from .model import build_model


def read_weights(path: Path) -> dict[str, np.ndarray]:
    """A model.npz (a state_dict of plain arrays), loaded without pickle."""
    if not path.is_file():
        raise UserError(f"{path.parent} has no {path.name}", file=str(path.parent),
                        hint="give the directory of a run that trained (trainer run ... --out DIR)")
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise UserError(f"cannot read the weights: {exc}", file=str(path),
                        hint="the file is damaged or not a trainer model.npz") from None


def check_network(cfg: RunConfig, run_dir: Path) -> None:
    """Objective runs have a point, not a model that takes inputs."""
    if cfg.objective is not None:
        raise UserError(f"{run_dir} minimised the test function '{cfg.objective.type}'; it has no model to "
                        "predict with or evaluate", file=str(run_dir), hint="give a run that trained a network")


def trained_model(cfg: RunConfig, pre: Preprocessing, weights: dict[str, np.ndarray]) -> Module:
    """The config's model with `weights` loaded, in eval mode. The library generator is left as it was."""
    dtype = np.dtype(cfg.training.dtype)
    saved_dtype, saved_rng = get_default_dtype(), get_rng_state()
    set_default_dtype(dtype)
    try:
        built = build_model(cfg.model.layers, np.zeros((PROBE_ROWS, *pre.input_shape)), dtype)
    finally:
        set_default_dtype(saved_dtype)
        set_rng_state(saved_rng)
    try:
        load_model_arrays(built.model, weights)
    except UserError as err:
        raise UserError(f"the weights do not fit the model of config.yaml: {err.message}", key="model",
                        hint="model.npz and config.yaml must come from the same run") from None
    return built.model.eval()
