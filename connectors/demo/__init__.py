"""The demo company generator: a Hong Kong trading SME written as a folder of CSV files in the import format.

`generate(out_dir, today)` (in `company.py`) puts the building blocks together and writes the folder:
places, catalogue, people, sales, seasons, stock and orders, one module each. It is a data source like
any other connector: `silobridge demo` writes the files and `silobridge load` imports them through the
same importer as real company data. See docs/demo-company.md.
"""

from connectors.demo.company import DemoGenerationError, generate

__all__ = ["DemoGenerationError", "generate"]
