"""The ``wirestream`` command and the offline tools behind it (produce, consume, enrich, evaluate)."""
