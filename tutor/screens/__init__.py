"""Screens of the bptutor app."""
