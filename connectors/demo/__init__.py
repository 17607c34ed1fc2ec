"""The demo company's building blocks: places, catalogue, people, sales, stock and orders.

`connectors.demo_company.generate()` puts them together and writes the CSV folder.
"""
