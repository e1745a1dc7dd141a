"""A model or data set too big for memory is refused with exit 2 before anything is allocated."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import yaml
from numpy.lib import format as npy

from tests.cli.helpers import SEED, invoke, plain_env
from trainer.build import validate_experiment
from trainer.build.memory import state_slots
from trainer.config import load_config
from trainer.config.sizes import parse_memory
from trainer.errors import UserError

HUGE = "model.layers.0.out_features=1000000000"


def test_a_huge_layer_exits_2_quickly_in_a_real_process() -> None:
    proc = subprocess.run([sys.executable, "-m", "trainer", "validate", str(SEED), "--set", HUGE],
                          capture_output=True, text=True, timeout=30, env=plain_env())
    assert proc.returncode == 2, proc.stderr
    assert "model.layers.0.out_features" in proc.stderr and "about 1.5 TiB" in proc.stderr


def test_a_huge_layer_exits_2_through_the_cli_and_a_small_config_still_works() -> None:
    result = invoke("validate", SEED, "--set", HUGE)
    assert result.exit_code == 2 and "over the memory limit" in result.stderr, result.output
    assert invoke("validate", SEED).exit_code == 0


def test_max_memory_lets_a_mid_size_model_through_or_refuses_it() -> None:
    mid = ["model.layers.0.out_features=20000"]
    assert validate_experiment(SEED, [*mid, "training.max_memory=1GiB"]).model is not None
    with pytest.raises(UserError) as info:
        validate_experiment(SEED, [*mid, "training.max_memory=4MiB"])
    assert "about 32.0 MiB" in info.value.message and "4.0 MiB (training.max_memory)" in info.value.message
    assert info.value.key == "model.layers.0.out_features"


def test_max_memory_takes_bytes_or_sizes() -> None:
    assert parse_memory(1000) == 1000 and parse_memory("8GB") == 8 * 10**9 and parse_memory("512MiB") == 2**29
    for bad in ("fast", 0, True, "8 parsecs"):
        with pytest.raises(ValueError):
            parse_memory(bad)
    with pytest.raises(UserError, match="training.max_memory"):
        validate_experiment(SEED, ["training.max_memory=lots"])


def test_generated_data_too_big_is_refused_before_drawing() -> None:
    with pytest.raises(UserError) as info:
        validate_experiment(SEED, ["data.n=10000000000"])
    assert info.value.key == "data.n" and "TiB" in info.value.message


def _npz_claiming(path: Path, shape: tuple[int, ...]) -> None:
    """An .npz whose x.npy header claims `shape` but holds no data (loading it would need the memory)."""
    with zipfile.ZipFile(path, "w") as archive:
        for name in ("x", "y"):
            header = io.BytesIO()
            npy.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False,
                                                "shape": shape if name == "x" else shape[:1]})
            archive.writestr(f"{name}.npy", header.getvalue())


def test_an_npz_whose_header_claims_a_huge_array_exits_2(tmp_path: Path) -> None:
    _npz_claiming(tmp_path / "big.npz", (10**7, 10**5))
    config = tmp_path / "config.yaml"
    config.write_text(SEED.read_text().replace("type: linear            #", "type: npz\n  path: big.npz\n  #")
                      .replace("  n: 100\n  d_in: 3\n  weights: [0.2, -1.3, -0.5]\n  bias: 0.0\n  noise: 1.0\n", ""))
    result = invoke("validate", config)
    assert result.exit_code == 2, result.output
    assert "data.path" in result.stderr and "big.npz" in result.stderr and "over the memory limit" in result.stderr
    small = tmp_path / "small.npz"
    np.savez(small, x=np.ones((10, 3)), y=np.ones(10))
    config.write_text(config.read_text().replace("big.npz", "small.npz"))
    assert invoke("validate", config).exit_code == 0, invoke("validate", config).output


@pytest.mark.parametrize(("optimizer", "slots"), [
    ({"type": "lion"}, 1), ({"type": "adamw_schedule_free"}, 2), ({"type": "sgd_schedule_free"}, 1),
    ({"type": "radam_schedule_free"}, 2), ({"type": "adopt"}, 2), ({"type": "prodigy"}, 4),
    ({"type": "prodigy", "betas": [0.0, 0.999], "slice_p": 11}, 2),
])
def test_optimizers_beyond_torch_count_their_state_tensors(optimizer: dict, slots: int) -> None:
    spec = load_config({**yaml.safe_load(SEED.read_text()), "optimizer": optimizer}).optimizer
    assert state_slots(spec) == slots
