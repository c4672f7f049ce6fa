import sys

from data_loaders.importers.cli import main

sys.exit(main())
