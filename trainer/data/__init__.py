"""Seeded synthetic data generators, csv/npz loaders, scikit-learn's and OpenML's datasets, and batching.

The classification generators and the csv/npz loaders are imported on first access (a run imports the one its
config names, through `make_dataset`'s tables).
"""

from .._lazy import lazy_exports
from .dataset import Dataset, Task
from .files import FileSource
from .loader import DataLoader, iterate_batches, num_batches
from .make import CLASSIFICATION_TYPES, DATA_TYPES, GENERATORS, LOADERS, make_dataset, split_sizes
from .openml import openml
from .raw import Raw
from .regression import linear, polynomial, sine
from .sklearn_sets import REGRESSION_SETS, dataset
from .streams import GENERATE, SHUFFLE, data_generator

# the names not imported above (classification generators, csv, npz) come from the modules the tables name
__getattr__, __dir__ = lazy_exports(__name__, DATA_TYPES.exports())

__all__ = [
    "CLASSIFICATION_TYPES", "DATA_TYPES", "GENERATE", "GENERATORS", "LOADERS", "REGRESSION_SETS", "SHUFFLE",
    "DataLoader", "Dataset", "FileSource", "Raw", "Task", "blobs", "circles", "csv", "data_generator", "dataset",
    "iterate_batches", "linear", "make_dataset", "moons", "npz", "num_batches", "openml", "polynomial", "sine",
    "spirals", "split_sizes", "xor",
]
