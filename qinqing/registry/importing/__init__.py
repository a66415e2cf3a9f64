"""The registry's import engine: read → map headers → validate whole columns → diff → write in batches.

Pure steps (reader, columns, parse) know nothing of the ORM; ``enterprises`` and ``members`` plan and
write against the database; ``runner`` ties a file to a Job with progress and a resumable checkpoint.
"""
