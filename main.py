"""`python main.py ...` is the same program as the `pandore` console script."""

import sys

from game.cli import main

if __name__ == "__main__":
    sys.exit(main())
