"""Vehicle routing: a solver-neutral problem (`problem`), PyVRP behind it (`solver`), the product's day
planner (`planner`, `commit`, `chart`), and the Solomon benchmark path (`solomon`, `bench`)."""
