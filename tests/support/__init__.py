"""Test helpers: the real local broker, worker subprocesses, and Kafka I/O for assertions."""
