"""Seeded synthetic data generators, csv/npz loaders, scikit-learn's and OpenML's datasets, and batching."""

from .classification import blobs, circles, moons, spirals, xor
from .csv_file import csv
from .dataset import Dataset, Task
from .files import FileSource
from .loader import DataLoader, iterate_batches, num_batches
from .make import CLASSIFICATION_TYPES, DATA_TYPES, GENERATORS, LOADERS, make_dataset, split_sizes
from .npz_file import npz
from .openml import openml
from .raw import Raw
from .regression import linear, polynomial, sine
from .sklearn_sets import REGRESSION_SETS, dataset
from .streams import GENERATE, SHUFFLE, data_generator

__all__ = [
    "CLASSIFICATION_TYPES", "DATA_TYPES", "GENERATE", "GENERATORS", "LOADERS", "REGRESSION_SETS", "SHUFFLE",
    "DataLoader", "Dataset", "FileSource", "Raw", "Task", "blobs", "circles", "csv", "data_generator", "dataset",
    "iterate_batches", "linear", "make_dataset", "moons", "npz", "num_batches", "openml", "polynomial", "sine",
    "spirals", "split_sizes", "xor",
]
