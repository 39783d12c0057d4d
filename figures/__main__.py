"""Run the command line: ``python -m figures``."""

from figures.cli import main

main(prog_name="figures")
