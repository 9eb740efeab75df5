"""The `bptutor` command line: parser.py reads the arguments, run.py holds each subcommand's body,
surface.py the `surface` subcommand, jsonout.py the JSON they print."""
