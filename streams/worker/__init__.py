"""The stream: the faust app, its agent, batches in flight, the Kafka-free processor and the NLP pool."""
