"""The NLP engine: text in, entities and statements out. Knows nothing of Kafka or Faust."""
