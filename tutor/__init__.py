"""bptutor: a terminal tutor for backpropagation."""

__version__ = "0.1.0"
