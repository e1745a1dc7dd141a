"""Evaluation metrics on numpy arrays, by name: accuracy for classification, mae/mse/rmse/r2 for regression."""

from .evaluate import (
    DEFAULT_METRICS,
    METRICS,
    Metric,
    compute_metrics,
    default_metrics,
    higher_is_better,
    predicted_labels,
)

__all__ = ["DEFAULT_METRICS", "METRICS", "Metric", "compute_metrics", "default_metrics", "higher_is_better",
           "predicted_labels"]
