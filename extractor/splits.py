"""Names of the corpus splits, importable without loading the corpus machinery."""

SPLITS = ("train", "dev", "test", "field-test")
FIELD_PREFIXES = ("f_", "ft_")  # part F: texts modelled on studied real passages
VIEWS = {"field-train": "train", "field-dev": "dev"}  # part F within a split
