"""The app's screens: home (the lesson list), a lesson's pages, help, quiz mode."""
