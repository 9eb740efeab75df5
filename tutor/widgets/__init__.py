"""Widgets of the bptutor app."""
