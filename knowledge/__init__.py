"""SOP knowledge base: documents, chunking, indexing and retrieval."""
