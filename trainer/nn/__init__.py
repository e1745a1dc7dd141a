"""Neural-network building blocks with PyTorch's names: modules, layers, init, functional, losses."""
