"""`make bench`: the engine against a hand-written numpy floor and PyTorch CPU."""
