"""Pages of the villages app: regions and villages (``regions``), Party organisations (``party``)."""
