"""The kinds of quiz question, one a module (registered in tutor.kinds)."""
