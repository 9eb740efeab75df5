"""Widgets of the lesson player: the network diagram, the equation panel, the table of values."""
