"""PyTorch's `torch.distributions` (being written)."""
