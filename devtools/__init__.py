"""What developers use beside the product: the benchmark (`flask bench`) and the demo data
(`flask demo load`). Never imported by the application; the commands are registered through
the `flask.commands` entry points in pyproject.toml."""
