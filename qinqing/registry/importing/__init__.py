"""The registry's import engine: read → map headers → validate whole columns → diff → write in batches.

Pure steps (reader, columns, parse) know nothing of the ORM; each aggregate's ``importing`` module
(``registry.enterprises.importing``, ``members.importing``, ``chambers.importing``) plans and writes
against the database; ``runner`` ties a file to a Job with progress and a resumable checkpoint.
"""
