"""The kinds of lesson page, one a module (registered in tutor.kinds)."""
