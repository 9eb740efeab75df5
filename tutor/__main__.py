import sys

from tutor.cli.parser import main

sys.exit(main())
